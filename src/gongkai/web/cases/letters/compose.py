"""An application's letter as data: the fixed frame around the editable body.

The frame — agency, title, 文号, application number, the applicant's name (never the
identity number), the body, the remedies paragraph of an answer letter, and the 落款 with
agency and date — is the same for every agency, so no wording an agency chooses can
drop what the letter must carry.  The body comes from the agency's ``ReplyTemplate`` of
the kind, or from the built-in default.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

from gongkai.report import taxonomy as tx
from gongkai.web.schedules.calendar import site_calendar
from gongkai.workdays import (  # the 补正 period is the core's: the letter and 视为放弃 count the same days
    CORRECTION_PERIOD_WORKING_DAYS,
    PROVISIONAL_MARK,
    WorkCalendar,
    correction_period_end,
    provisional_reason,
)
from gongkai.workdays.errors import WorkdaysError

from ..fees import FEE_PAYMENT_WORKING_DAYS
from ..models import Application, FeeNotice, LetterKind, ReplyTemplate
from .basis import basis_of, letter_kind_of_outcome
from .body import default_body, render_body

# 行政复议 within 60 days (行政复议法) and 行政诉讼 within 6 months (行政诉讼法) of learning of the act.
REMEDIES = ("如对本答复不服，可以自收到本告知书之日起六十日内向{review_body}申请行政复议，"
            "或者自收到本告知书之日起六个月内依法向人民法院提起行政诉讼。")
# Without a parent in the agency tree (a 区政府 itself) the review body is the next government up.
DEFAULT_REVIEW_BODY = "上一级人民政府"

# What a staff page may ask for: the answer letter, or one of the three notices.
REPLY = "reply"
LETTER_TYPES = {REPLY: "答复告知书", "correction": "补正告知书", "extension": "延期答复告知书", "fee": "收费通知书"}

_TITLES = {"correction": "政府信息公开申请补正告知书", "extension": "政府信息公开申请延期答复告知书",
           "fee": "政府信息公开信息处理费收费通知书"}
_REPLY_TITLE = "政府信息公开申请答复告知书"
_NUMBER_WORDS = {"correction": "补", "extension": "延", "fee": "费"}
_REPLY_NUMBER_WORD = "答"
# The steps whose event dates an answer letter: drafted, then signed.
_REPLY_EVENTS = ("draft_reply", "sign")
# Outcomes a step sets when it closes the application without an answer: dated that day.
_CLOSING_OUTCOMES = ("other.no_correction", "other.unpaid_fee")
# An answer letter exists from the draft on (not after 审核退回, when the outcome is being reworked),
# and for the applications closed without an answer (逾期不补正, 逾期未缴费).
_State = Application.State
_REPLY_STATES = (_State.DRAFTED, _State.REVIEWED, _State.SIGNED, _State.DELIVERED, _State.ARCHIVED,
                 _State.ABANDONED, _State.FEE_UNPAID)
_NUMBER_PATTERN = re.compile(r"-(\d{4})-(\d+)$")


class LetterUnavailable(ValidationError):
    """The letter asked for does not exist yet (no outcome, no 补正, no approved extension, no fee)."""


class LetterIncomplete(LetterUnavailable):
    """The letter exists but a date it must state cannot be computed: no letter goes out with a blank."""


# The date each notice must state, and what it is called in the message when it is missing.
_REQUIRED_DATES = {"correction": ("correction_deadline", "补正期限"), "extension": ("extended_due_on", "延长后的答复期限")}


@dataclass(frozen=True)
class Letter:
    kind: str  # a ``LetterKind`` value
    agency_name: str
    title: str
    document_number: str
    application_number: str
    applicant_name: str
    paragraphs: tuple[str, ...]
    remedies: str  # "" for the notices
    letter_date: date
    citation: str

    @property
    def heading(self) -> str:
        return f"{self.agency_name}{self.title}"

    def filename(self, extension: str) -> str:
        return f"{self.application_number}-{self.title}.{extension}"

    def text(self) -> str:
        """The whole letter as plain text (what pdftotext and python-docx give back)."""
        lines = [self.agency_name, self.title, self.document_number, f"申请编号：{self.application_number}",
                 f"{self.applicant_name}：", *self.paragraphs]
        if self.remedies:
            lines.append(self.remedies)
        return "\n".join([*lines, self.agency_name, chinese_date(self.letter_date)])


def chinese_date(day: date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def letter_types_available(application: Application) -> list[str]:
    """The letters an application has so far, in the order a case produces them."""
    available = []
    if application.correction_requested_on:
        available.append("correction")
    if application.extension_approved_on:
        available.append("extension")
    if application.fee_notices.exists():
        available.append("fee")
    if application.outcome and application.state in _REPLY_STATES:
        available.append(REPLY)
    return available


def document_number(application: Application, kind: str) -> str:
    """A 文号-like number: agency, kind, year and the application's sequence, e.g. 东街公开答〔2024〕12号."""
    label = application.agency.short_name or application.agency.full_name
    match = _NUMBER_PATTERN.search(application.number)
    year, sequence = (int(match[1]), int(match[2])) if match else (application.received_on.year, application.pk)
    return f"{label}公开{_NUMBER_WORDS.get(kind, _REPLY_NUMBER_WORD)}〔{year}〕{sequence}号"


def _safe(compute):
    try:
        return compute()
    except WorkdaysError:  # a date outside the calendar's years: leave it blank, the letter still prints
        return None


# Placeholders whose date is computed from the calendar (and so may be 预计).
_DATE_PLACEHOLDERS = ("due_on", "correction_deadline", "extended_due_on", "fee_due_on")


def letter_missing_date(application: Application, letter_type: str, *, calendar: WorkCalendar,
                        context: dict | None = None) -> str:
    """Why the letter cannot be written yet (a date it must state cannot be computed), and what to do; "" if it can."""
    required = _REQUIRED_DATES.get(letter_type)
    if required is None:
        return ""
    name, label = required
    if context is not None:
        value = context[name]
    elif letter_type == "correction":
        value = _safe(lambda: correction_period_end(application.correction_requested_on, calendar=calendar))
    else:
        value = _safe(lambda: application.reply_deadline(today=application.extension_approved_on,
                                                         calendar=calendar).due)
    if value is not None:
        return ""
    provisional = calendar.provisional_years
    known = f"（其中 {provisional[0]}—{provisional[-1]} 年为预计）" if provisional else ""
    return (f"{LETTER_TYPES[letter_type]}须写明{label}，但{label}无法计算：工作日历只有 {calendar.first_year}—"
            f"{calendar.end_year} 年{known}。请管理员在管理后台「节假日安排」"
            "粘贴国务院办公厅该年放假安排的通知全文后，再生成文书。")


def _reply_date(application: Application) -> date:
    if application.outcome in _CLOSING_OUTCOMES and application.closed_on:
        return application.closed_on
    event = application.events.filter(action__in=_REPLY_EVENTS).order_by("-at", "-pk").first()
    return timezone.localdate(event.at) if event else timezone.localdate()


def _latest_fee_notice(application: Application) -> FeeNotice | None:
    return application.fee_notices.order_by("-issued_on", "-pk").first()


def compose_letter(application: Application, letter_type: str, *, calendar: WorkCalendar | None = None) -> Letter:
    """The letter ``letter_type`` (a key of ``LETTER_TYPES``) of ``application``, ready to write."""
    if letter_type not in LETTER_TYPES:
        raise LetterUnavailable(f"没有「{letter_type}」这种文书")
    if letter_type not in letter_types_available(application):
        raise LetterUnavailable(f"申请 {application.number} 尚无{LETTER_TYPES[letter_type]}")
    calendar = calendar or site_calendar()
    fee_notice = _latest_fee_notice(application) if letter_type == "fee" else None
    if letter_type == REPLY:
        kind, outcome, note = letter_kind_of_outcome(application.outcome), application.outcome, application.outcome_note
        letter_date, title = _reply_date(application), _REPLY_TITLE
    else:
        kind, outcome, note, title = letter_type, "", "", _TITLES[letter_type]
        letter_date = {"correction": application.correction_requested_on,
                       "extension": application.extension_approved_on,
                       "fee": fee_notice.issued_on if fee_notice else None}[letter_type]
    basis = basis_of(kind, outcome)
    due = _safe(lambda: application.reply_deadline(today=letter_date, calendar=calendar).due)
    context = {
        "agency_name": application.agency.full_name, "number": application.number,
        "document_number": document_number(application, kind), "applicant_name": application.applicant_name,
        "received_on": application.received_on, "information_sought": application.information_sought,
        "delivery_form": application.delivery_form, "letter_date": letter_date, "due_on": due,
        "outcome_label": tx.outcome_short_label(outcome) if outcome else "", "article": basis.article,
        "citation": basis.citation, "reason": basis.reason, "note": note,
        "withheld_reason": application.withheld_reason if letter_type == REPLY else "",
        "correction_requested_on": application.correction_requested_on,
        "correction_deadline": _safe(lambda: correction_period_end(application.correction_requested_on,
                                                                   calendar=calendar))
        if application.correction_requested_on else None,
        "correction_period_days": CORRECTION_PERIOD_WORKING_DAYS,
        "extension_days": application.approved_extension_days, "extension_reason": application.extension_reason,
        "extended_due_on": due if application.extension_approved_on else None,
        "fee_basis": fee_notice.get_basis_display() if fee_notice else "",
        "fee_amount": fee_notice.amount if fee_notice else "",
        "fee_explanation": fee_notice.explanation if fee_notice else "",
        "fee_issued_on": fee_notice.issued_on if fee_notice else None,
        "fee_due_on": fee_notice.due_on if fee_notice else None,
        "fee_payment_days": FEE_PAYMENT_WORKING_DAYS,
    }
    missing = letter_missing_date(application, letter_type, calendar=calendar, context=context)
    if missing:
        raise LetterIncomplete(missing)
    custom = ReplyTemplate.objects.filter(agency=application.agency, kind=kind).first()
    source = custom.body if custom else default_body(kind)
    shown = [context[name] for name in _DATE_PLACEHOLDERS if name in source and context[name] is not None]
    years = calendar.provisional_years_in(shown)
    context["dates_provisional"] = bool(years)
    context["provisional_note"] = f"（{provisional_reason(years)}）" if years else ""
    paragraphs = render_body(source, context)
    if years and not any(PROVISIONAL_MARK in paragraph for paragraph in paragraphs):
        # An agency's own wording may not mention it: the frame says it, so no 预计 date reads as certain.
        paragraphs.append(f"上述期限为{PROVISIONAL_MARK}：{provisional_reason(years)}。")
    parent = application.agency.parent
    remedies = REMEDIES.format(review_body=parent.full_name if parent else DEFAULT_REVIEW_BODY) \
        if letter_type == REPLY else ""
    return Letter(kind=LetterKind(kind).value, agency_name=application.agency.full_name, title=title,
                  document_number=context["document_number"], application_number=application.number,
                  applicant_name=application.applicant_name, paragraphs=tuple(paragraphs), remedies=remedies,
                  letter_date=letter_date, citation=basis.citation)
