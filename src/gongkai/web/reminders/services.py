"""The reminder scan: from the applications' present state, never from the time of the last run.

``reminders_send`` finds every open application whose reply is due within
``GONGKAI_REMINDER_DUE_WITHIN`` working days or already overdue (the due date derived from the
stored facts by ``Application.reply_deadline``), and gives its 承办人 (or, without one, each
of the agency's handlers) one
``Message`` per (kind, due date) — ``get_or_create`` on the unique key, so running it twice,
or twice at once, creates nothing twice.  Because it looks at state, a missed run is caught
up by the next one.  E-mails go out for messages not yet e-mailed, so a mail server that
was down is retried on the next run too.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.web.agencies.models import Membership
from gongkai.web.cases.due_bounds import latest_receipt_due_by
from gongkai.web.cases.models import Application
from gongkai.web.schedules.calendar import site_calendar
from gongkai.workdays import WorkCalendar, WorkdaysError

from .models import Message, ProvisionalDue

log = logging.getLogger(__name__)

# Who is reminded: the case's 承办人; without one, the agency's handlers (承办); when it has
# none, its administrators.
RECIPIENT_ROLES = (Membership.Role.HANDLER,)
FALLBACK_ROLES = (Membership.Role.AGENCY_ADMIN,)


@dataclass(frozen=True)
class Due:
    application: Application
    kind: str
    due_on: date
    text: str = ""  # the message, when the kind alone does not say it (a moved due date)
    provisional: bool = False  # the due date is only 预计 (a year without a published schedule)


def applications_due(*, today: date, within: int, calendar: WorkCalendar | None = None,
                     agency_ids=None) -> list[Due]:
    """Open applications (of ``agency_ids``, or of every agency) overdue on ``today`` or due within
    ``within`` working days of it.

    An application in consultation is left out: its clock is paused, so its due date is not
    yet known (it moves with every day the consultation lasts).
    """
    calendar = calendar or site_calendar()
    try:
        horizon = calendar.add_working_days(today, within)
    except WorkdaysError:
        horizon = today
    found = []
    open_applications = (Application.objects.filter(state__in=Application.OPEN_STATES)
                         .exclude(state=Application.State.CONSULTING).select_related("agency")
                         .prefetch_related("consultations")
                         .order_by("pk"))
    if agency_ids is not None:
        open_applications = open_applications.filter(agency_id__in=agency_ids)
    # A case received after ``latest`` cannot be due by the horizon (due_bounds): no due date to compute.
    if (latest := latest_receipt_due_by(horizon, calendar)) is not None:
        open_applications = open_applications.filter(received_on__lte=latest)
    for application in open_applications:
        try:
            deadline = application.reply_deadline(today=today, calendar=calendar)
        except WorkdaysError as error:
            log.warning("no due date for %s: %s", application.number, error)
            continue
        due = deadline.due
        provisional = deadline.provisional
        if today > due:
            found.append(Due(application, Message.Kind.OVERDUE, due, provisional=provisional))
        elif due <= horizon:
            found.append(Due(application, Message.Kind.DUE_SOON, due, provisional=provisional))
    return found


def fee_notices_lapsed(*, today: date, agency_ids=None) -> list[Due]:
    """Applications (of ``agency_ids``, or of every agency) waiting for a fee whose payment period is over:
    staff may now close them as 不再处理."""
    from gongkai.web.cases.models import FeeNotice

    lapsed = (FeeNotice.objects.filter(application__state=Application.State.AWAITING_FEE, paid_on__isnull=True,
                                       lapsed_on__isnull=True, due_on__lt=today)
              .select_related("application").order_by("pk"))
    if agency_ids is not None:
        lapsed = lapsed.filter(application__agency_id__in=agency_ids)
    return [Due(notice.application, Message.Kind.FEE_LAPSED, notice.due_on) for notice in lapsed]


def reminder_recipients(application: Application) -> list:
    """The case's 承办人 while they still handle cases there; else the agency's handlers (or admins)."""
    users = get_user_model().objects.filter(is_active=True, memberships__agency_id=application.agency_id)
    if application.assignee_id:
        assignee = users.filter(pk=application.assignee_id, memberships__role__in=RECIPIENT_ROLES).first()
        if assignee is not None:
            return [assignee]
    recipients = list(users.filter(memberships__role__in=RECIPIENT_ROLES).distinct().order_by("pk"))
    return recipients or list(users.filter(memberships__role__in=FALLBACK_ROLES).distinct().order_by("pk"))


def _text(due: Due, today: date) -> str:
    if due.text:
        return due.text
    number = due.application.number
    if due.kind == Message.Kind.FEE_LAPSED:
        return (f"申请 {number} 的信息处理费缴费期限 {due.due_on.isoformat()} 已过，申请人未缴费；"
                f"可按“逾期未缴费，不再处理”办结（国办函〔2020〕109号）")
    mark = "预计 " if due.provisional else ""
    if due.kind == Message.Kind.OVERDUE:
        return f"申请 {number} 已超过答复期限 {mark}{due.due_on.isoformat()}（条例第三十三条），请尽快答复"
    return f"申请 {number} 的答复期限为 {mark}{due.due_on.isoformat()}，即将到期"


def _moved(application: Application, old: date | None, old_provisional: bool, new, reason: str) -> Due:
    was = f"由{'预计的 ' if old_provisional else ''}{old.isoformat()} " if old else "由无法计算"
    text = (f"申请 {application.number} 的答复期限{was}改为 {new.due.isoformat()}"
            f"{'（仍为预计）' if new.provisional else ''}：{reason}")[:300]
    return Due(application, Message.Kind.DEADLINE_MOVED, new.due, text)


def _open_applications():
    return (Application.objects.exclude(state__in=Application.CLOSED_STATES)
            .prefetch_related("consultations").order_by("pk"))


def deadlines_moved_notify(*, before: WorkCalendar, after: WorkCalendar, reason: str, today: date | None = None) -> list[Due]:
    """A year's schedule was added: list for each 承办人 the open cases whose due date it moved.

    Due dates are derived, so every page shows the new date at once; this tells the people
    who may have told the applicant the 预计 date (or planned by it).
    """
    today = today or timezone.localdate()
    moved = []
    for application in _open_applications():
        try:
            old = application.reply_deadline(today=today, calendar=before)
        except WorkdaysError:
            old = None
        try:
            new = application.reply_deadline(today=today, calendar=after)
        except WorkdaysError:
            continue
        if old is not None and old.due == new.due:
            continue
        moved.append(_moved(application, old.due if old else None, bool(old and old.provisional), new, reason))
    _notify(moved, today)
    return moved


def provisional_deadlines_follow(*, today: date, calendar: WorkCalendar | None = None) -> list[Due]:
    """The scan's half of the same job: remember each 预计 due date; once it is settled by a schedule
    loaded any other way (a file, a release), list the cases whose date moved."""
    calendar = calendar or site_calendar()
    seen = {record.application_id: record for record in ProvisionalDue.objects.all()}
    moved = []
    for application in _open_applications():
        record = seen.pop(application.pk, None)
        try:
            deadline = application.reply_deadline(today=today, calendar=calendar)
        except WorkdaysError:
            continue
        if deadline.provisional:
            if record is None:
                ProvisionalDue.objects.create(application=application, due_on=deadline.due)
            elif record.due_on != deadline.due:  # a consultation or an extension moved it: follow
                ProvisionalDue.objects.filter(pk=record.pk).update(due_on=deadline.due)
        elif record is not None:
            if record.due_on != deadline.due:
                moved.append(_moved(application, record.due_on, True, deadline, "该年放假安排已载入"))
            record.delete()
    ProvisionalDue.objects.filter(pk__in=[record.pk for record in seen.values()]).delete()  # closed meanwhile
    return moved


def _notify(dues: list[Due], today: date) -> int:
    created = 0
    for due in dues:
        for recipient in reminder_recipients(due.application):
            created += message_create(recipient=recipient, due=due, today=today)[1]
    return created


def message_create(*, recipient, due: Due, today: date) -> tuple[Message, bool]:
    """One message per (recipient, application, kind, due date); a concurrent duplicate is absorbed."""
    key = dict(recipient=recipient, application=due.application, kind=due.kind, due_on=due.due_on)
    try:
        with transaction.atomic():
            return Message.objects.get_or_create(**key, defaults={"text": _text(due, today)})
    except IntegrityError:
        return Message.objects.get(**key), False


def messages_email(*, now=None) -> int:
    """E-mail every message not yet e-mailed whose recipient has an address; returns how many went out."""
    now = now or timezone.now()
    sent = 0
    pending = (Message.objects.filter(emailed_at__isnull=True).exclude(recipient__email="")
               .select_related("recipient", "application").order_by("pk"))
    for message in pending:
        try:
            send_mail(f"【期限提醒】{message.get_kind_display()}：{message.application.number}", message.text,
                      settings.DEFAULT_FROM_EMAIL, [message.recipient.email])
        except OSError as error:  # the mail server is down: the next run tries again
            log.warning("reminder e-mail to %s failed: %s", message.recipient.email, error)
            continue
        Message.objects.filter(pk=message.pk, emailed_at__isnull=True).update(emailed_at=now)
        sent += 1
    return sent


@dataclass(frozen=True)
class ScanResult:
    due: int  # applications due soon, overdue or with a moved 预计 date, and fee notices past their payment period
    created: int  # new messages
    emailed: int


def reminders_send(*, today: date | None = None, within: int | None = None) -> ScanResult:
    """The periodic scan: messages for every due-soon or overdue application, every lapsed fee
    notice and every 预计 due date that a newly loaded schedule moved, then their e-mails."""
    today = today or timezone.localdate()
    within = settings.GONGKAI_REMINDER_DUE_WITHIN if within is None else within
    dues = (applications_due(today=today, within=within) + fee_notices_lapsed(today=today)
            + provisional_deadlines_follow(today=today))
    return ScanResult(len(dues), _notify(dues, today), messages_email())
