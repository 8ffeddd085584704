"""Every statutory step of an application, one service each.

Each service is keyword-only, runs in one transaction, checks the acting user's role in the
application's agency, applies the django-fsm transition (which refuses a step from the
wrong state) and writes a readable ``ApplicationEvent``.  Views, admin actions and the demo
loader call these and never change ``state`` themselves.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from gongkai.report import taxonomy as tx
from gongkai.web.agencies.models import Agency, Membership
from gongkai.web.agencies.selectors import user_roles_in
from gongkai.web.counters import counter_advance
from gongkai.web.schedules.calendar import site_calendar
from gongkai.workdays import (
    CORRECTION_PERIOD_WORKING_DAYS,
    MAX_EXTENSION_WORKING_DAYS,
    WorkdaysError,
    correction_notice_due,
)

from .models import Application, ApplicationEvent, ApplicationNumberCounter, Consultation
from .rules import STEP_ROLES, step_permission

QUERY_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud on the phone


@dataclass(frozen=True)
class Registration:
    application: Application
    query_code: str  # shown to the applicant once; only its digest is stored


# ---------------------------------------------------------------- helpers


def _require_permission(user, step: str, target: Application | Agency) -> None:
    """The role table of ``rules.py`` decides; superusers pass (Django's has_perm)."""
    if not user.has_perm(step_permission(step), target):
        agency = target if isinstance(target, Agency) else target.agency
        labels = "、".join(Membership.Role(role).label for role in STEP_ROLES[step])
        raise PermissionDenied(f"需要在「{agency}」担任{labels}岗位才能执行此操作")


def _step(application: Application, acting_user, action: str, message: str, apply, data=None) -> Application:
    """Lock the row, check the role, run the transition, save, and log the event."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    _require_permission(acting_user, action, locked)
    before = locked.state
    try:
        apply(locked)
    except TransitionNotAllowed:
        raise ValidationError(
            f"申请 {locked.number} 当前处于「{Application.State(before).label}」环节，不能{message}") from None
    locked.full_clean()
    locked.save()
    ApplicationEvent.objects.create(application=locked, action=action, from_state=before, to_state=locked.state,
                                    acting_user=acting_user, message=message, data=data or {})
    return locked


def _digest(query_code: str) -> str:
    return hashlib.sha256(query_code.encode()).hexdigest()


def application_numbers_allocate(*, agency: Agency, year: int, count: int = 1) -> list[str]:
    """``count`` fresh numbers of an agency's year; the counter row is locked, so never a duplicate."""
    last = counter_advance(ApplicationNumberCounter, agency=agency, year=year, count=count)
    return [f"GK{agency.pk:03d}-{year}-{n:05d}" for n in range(last - count + 1, last + 1)]


def new_query_code() -> tuple[str, str]:
    code = "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(8))
    return code, _digest(code)


def query_code_matches(application: Application, query_code: str) -> bool:
    return secrets.compare_digest(application.query_code_hash, _digest(query_code.strip().upper()))


# ---------------------------------------------------------------- intake


@transaction.atomic
def application_register(
    *, agency: Agency, acting_user, applicant_type: str, applicant_name: str, channel: str, received_on: date,
    information_sought: str = "", applicant_id_number: str = "", applicant_phone: str = "",
    applicant_email: str = "", applicant_address: str = "", delivery_form: str = "",
) -> Registration:
    """Register an application (登记) with its receipt date under 条例第三十一条."""
    _require_permission(acting_user, "register", agency)
    now = timezone.now()
    if received_on > timezone.localdate(now):
        raise ValidationError("收到申请日期不能晚于登记日期")
    query_code, digest = new_query_code()
    (number,) = application_numbers_allocate(agency=agency, year=received_on.year)
    application = Application(
        agency=agency, number=number, query_code_hash=digest, applicant_type=applicant_type,
        applicant_name=applicant_name, applicant_id_number=applicant_id_number, applicant_phone=applicant_phone,
        applicant_email=applicant_email, applicant_address=applicant_address, information_sought=information_sought,
        delivery_form=delivery_form, channel=channel, received_on=received_on, registered_at=now,
    )
    application.full_clean()
    application.save()
    ApplicationEvent.objects.create(application=application, action="register", to_state=application.state,
                                    acting_user=acting_user, message="登记申请",
                                    data={"received_on": received_on.isoformat(), "channel": channel})
    return Registration(application, query_code)


# ---------------------------------------------------------------- review and 补正 (条例第二十九条、第三十条)


@transaction.atomic
def application_start_review(*, application: Application, acting_user) -> Application:
    return _step(application, acting_user, "start_review", "开始审查", lambda a: a.start_review())


@transaction.atomic
def application_request_correction(*, application: Application, acting_user, requested_on: date) -> Application:
    """补正告知 (条例第三十条): once only (一次性告知); due within 7 working days of receipt — a later
    notice is still recorded (the applicant must be told), marked late in the log and on the case."""
    if requested_on < application.received_on:
        raise ValidationError("补正告知日期不能早于收到申请日期")
    if requested_on > timezone.localdate():
        raise ValidationError("补正告知日期不能晚于今天")
    if not application.may_request_correction():
        raise ValidationError(f"申请 {application.number} 已于 {application.correction_requested_on:%Y-%m-%d} 告知补正；"
                              "条例第三十条要求一次性告知，不能再次告知补正")
    try:
        due = correction_notice_due(application.received_on, calendar=site_calendar())
    except WorkdaysError as error:
        raise ValidationError(f"无法计算补正告知期限：{error}") from None
    late = requested_on > due
    message = f"告知补正（逾期：应于 {due:%Y-%m-%d} 前告知，条例第三十条）" if late else "告知补正"
    return _step(application, acting_user, "request_correction", message,
                 lambda a: a.request_correction(requested_on),
                 {"requested_on": requested_on.isoformat(), "notice_due": due.isoformat(), "late": late})


@transaction.atomic
def application_receive_correction(*, application: Application, acting_user, received_on: date) -> Application:
    """The corrected application arrived: the reply clock restarts on this day (条例第三十条)."""
    if application.correction_requested_on and received_on < application.correction_requested_on:
        raise ValidationError("补正收到日期不能早于补正告知日期")
    return _step(application, acting_user, "receive_correction", "收到补正",
                 lambda a: a.receive_correction(received_on),
                 {"received_on": received_on.isoformat()})


@transaction.atomic
def application_abandon(*, application: Application, acting_user, on: date) -> Application:
    """逾期不补正: the application is treated as abandoned (outcome other.no_correction) — only once the
    period the notice gave has run out (条例第三十条：申请人无正当理由逾期不补正的，视为放弃申请)."""
    if application.correction_requested_on and on < application.correction_requested_on:
        raise ValidationError("视为放弃的日期不能早于补正告知日期")
    if on > timezone.localdate():
        raise ValidationError("视为放弃的日期不能晚于今天")
    if application.correction_requested_on:
        try:
            end = application.correction_period_end()
        except WorkdaysError as error:
            raise ValidationError(f"无法计算补正期限：{error}") from None
        if on <= end:
            raise ValidationError(f"补正期限至 {end:%Y-%m-%d} 尚未届满（补正告知书给予申请人 {CORRECTION_PERIOD_WORKING_DAYS} "
                                  "个工作日），期满后申请人仍未补正的，才能视为放弃申请（条例第三十条）")
    return _step(application, acting_user, "abandon", "逾期未补正，视为放弃申请", lambda a: a.abandon(on),
                 {"on": on.isoformat()})


@transaction.atomic
def application_accept(*, application: Application, acting_user) -> Application:
    """转承办: the handler who takes the application on becomes its 承办人."""
    return _step(application, acting_user, "accept", "转承办、检索", lambda a: a.accept(acting_user),
                 {"assignee": acting_user.get_username()})


@transaction.atomic
def application_assign(*, application: Application, acting_user, assignee) -> Application:
    """转交: another 承办 of the same agency takes the open application on; the state does not change."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    _require_permission(acting_user, "assign", locked)
    if locked.is_closed:
        raise ValidationError(f"申请 {locked.number} 已办结，不能转交")
    if Membership.Role.HANDLER not in user_roles_in(assignee, locked.agency) or not assignee.is_active:
        raise ValidationError(f"「{assignee.get_username()}」不是「{locked.agency}」的承办人员，不能转交给他")
    if locked.assignee_id == assignee.pk:
        raise ValidationError(f"申请 {locked.number} 已由「{assignee.get_username()}」承办")
    before = locked.assignee.get_username() if locked.assignee else ""
    locked.assignee = assignee
    locked.save(update_fields=["assignee"])
    ApplicationEvent.objects.create(application=locked, action="assign", from_state=locked.state,
                                    to_state=locked.state, acting_user=acting_user,
                                    message=f"转交承办人：{assignee.get_username()}",
                                    data={"from": before, "to": assignee.get_username()})
    return locked


# ---------------------------------------------------------------- consultation (条例第三十二条、第三十三条第三款)


@transaction.atomic
def application_start_consultation(*, application: Application, acting_user, party: str, start_on: date) -> Application:
    def apply(a):
        a.start_consultation()
        Consultation.objects.create(application=a, party=party, start_on=start_on)

    return _step(application, acting_user, "start_consultation", f"向{party}征求意见", apply,
                 {"party": party, "start_on": start_on.isoformat()})


@transaction.atomic
def application_end_consultation(*, application: Application, acting_user, end_on: date) -> Application:
    def apply(a):
        a.end_consultation()
        consultation = a.consultations.filter(end_on__isnull=True).get()
        if end_on < consultation.start_on:
            raise ValidationError("征求意见结束日期不能早于开始日期")
        consultation.end_on = end_on
        consultation.save(update_fields=["end_on"])

    return _step(application, acting_user, "end_consultation", "征求意见结束", apply,
                 {"end_on": end_on.isoformat()})


# ---------------------------------------------------------------- reply: draft, review, sign, deliver


@transaction.atomic
def application_draft_reply(*, application: Application, acting_user, outcome: str, note: str = "",
                            withheld_reason: str = "") -> Application:
    """拟办答复 with an outcome of the official taxonomy (the row key of table 三).

    ``note`` is the 结果说明 the letter adds to its answer; ``withheld_reason`` is printed under
    “二、不予公开的部分及理由” and is required for a partial disclosure (条例第三十七条), kept only for it.
    """
    if outcome not in tx.OUTCOME_KEYS:
        raise ValidationError(f"办理结果「{outcome}」不在年度报告表三的分类中")
    partial = outcome == "partially_granted"
    if partial and not withheld_reason.strip():
        raise ValidationError("部分公开须说明不予公开的部分及理由")
    return _step(application, acting_user, "draft_reply", f"拟办答复：{tx.outcome_short_label(outcome)}",
                 lambda a: a.draft_reply(outcome, note, withheld_reason if partial else ""), {"outcome": outcome})


@transaction.atomic
def application_approve_review(*, application: Application, acting_user) -> Application:
    return _step(application, acting_user, "approve_review", "审核通过", lambda a: a.approve_review())


@transaction.atomic
def application_return_for_rework(*, application: Application, acting_user, reason: str) -> Application:
    return _step(application, acting_user, "return_for_rework", f"审核退回：{reason}"[:300],
                 lambda a: a.return_for_rework(), {"reason": reason})


@transaction.atomic
def application_sign(*, application: Application, acting_user) -> Application:
    return _step(application, acting_user, "sign", "签发", lambda a: a.sign())


@transaction.atomic
def application_deliver(*, application: Application, acting_user, on: date) -> Application:
    """送达: the day the answer reaches the applicant closes the application (办结日期)."""
    if on < application.received_on:
        raise ValidationError("送达日期不能早于收到申请日期")
    return _step(application, acting_user, "deliver", "答复送达", lambda a: a.deliver(on),
                 {"on": on.isoformat()})


@transaction.atomic
def application_archive(*, application: Application, acting_user) -> Application:
    return _step(application, acting_user, "archive", "归档", lambda a: a.archive())


# ---------------------------------------------------------------- extension (条例第三十三条第二款)


def _extension(application: Application, acting_user, action, message, apply, data) -> Application:
    locked = Application.objects.select_for_update().get(pk=application.pk)
    _require_permission(acting_user, action, locked)
    if locked.is_closed:
        raise ValidationError(f"申请 {locked.number} 已办结，不能{message}")
    fields = apply(locked)
    locked.save(update_fields=fields)
    ApplicationEvent.objects.create(application=locked, action=action, from_state=locked.state, to_state=locked.state,
                                    acting_user=acting_user, message=message, data=data)
    return locked


@transaction.atomic
def application_request_extension(*, application: Application, acting_user, days: int, reason: str) -> Application:
    if not 1 <= days <= MAX_EXTENSION_WORKING_DAYS:
        raise ValidationError(f"延期应为 1 至 {MAX_EXTENSION_WORKING_DAYS} 个工作日")
    if application.extension_approved_on:
        raise ValidationError("已批准过延期，条例只允许延长一次")

    def apply(a):
        a.extension_days, a.extension_reason = days, reason
        return ["extension_days", "extension_reason"]

    return _extension(application, acting_user, "request_extension", f"申请延期 {days} 个工作日",
                      apply, {"days": days, "reason": reason})


@transaction.atomic
def application_approve_extension(*, application: Application, acting_user, approved_on: date) -> Application:
    """The office head (签发人) approves; only an approved extension moves the due date."""
    if not application.extension_days:
        raise ValidationError("没有待批准的延期申请")
    if application.extension_approved_on:
        raise ValidationError("延期已批准")

    def apply(a):
        a.extension_approved_by, a.extension_approved_on = acting_user, approved_on
        return ["extension_approved_by", "extension_approved_on"]

    return _extension(application, acting_user, "approve_extension",
                      f"批准延期 {application.extension_days} 个工作日", apply,
                      {"approved_on": approved_on.isoformat()})
