"""What the API returns: plain pydantic schemas built from the models, personal data masked by default."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from ninja import Field, Schema

from gongkai.web.cases.models import Application
from gongkai.web.query import MAX_ID
from gongkai.web.staff.masking import mask_name
from gongkai.web.staff.personal_data import masked_personal_data

# The one bound check of every number a client types into a path, a query or a body: an id a
# database column holds, a calendar year. Outside them the answer is a 422 naming the field.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Year = Annotated[int, Field(ge=1, le=9999)]

class Agency(Schema):
    id: int
    full_name: str
    short_name: str
    kind: str
    parent_id: int | None


class Applicant(Schema):
    type: str
    type_label: str
    name: str
    id_number: str
    phone: str
    email: str
    address: str
    masked: bool  # True unless the user handles the case in its own agency


class ApplicationSummary(Schema):
    number: str
    agency_id: int
    agency: str
    state: str
    state_label: str
    channel: str
    received_on: date
    closed_on: date | None
    outcome: str | None
    due_on: date | None  # derived from the stored facts, never stored
    due_provisional: bool  # the due date rests on a year without a published holiday schedule (预计)
    due_provisional_reason: str  # why, and what settles it ("" when not provisional)
    overdue: bool | None
    applicant_type: str


class FeeNotice(Schema):
    """收费通知 of 信息处理费: the amount and its arithmetic, no personal data."""

    basis: str
    basis_label: str
    amount: int  # 元
    explanation: str
    issued_on: date
    due_on: date
    paid_on: date | None
    lapsed_on: date | None


class ApplicationDetail(ApplicationSummary):
    applicant: Applicant
    information_sought: str
    delivery_form: str
    correction_requested_on: date | None
    correction_received_on: date | None
    extension_days: int
    due_explanation: str | None
    fee_notices: list[FeeNotice]


class Appeal(Schema):
    id: int
    agency_id: int
    agency: str
    application_number: str | None
    kind: str
    kind_label: str
    case_number: str
    filed_on: date
    result: str
    result_label: str
    decided_on: date | None


class AppealChange(Schema):
    field: str
    label: str
    old: str | None  # None: not set (or, on the first entry, nothing before it)
    new: str | None


class AppealHistoryEntry(Schema):
    at: datetime
    action: str  # created | changed | deleted
    action_label: str
    user: str | None  # the staff user's login name; None for the system
    reason: str | None
    changes: list[AppealChange]


class AppealDetail(Appeal):
    history: list[AppealHistoryEntry]  # newest first


class AnnualReportSummary(Schema):
    id: int
    agency_id: int
    agency: str
    year: int
    version: int
    state: str
    state_label: str
    published_at: datetime | None


class ReportCheck(Schema):
    rule: str
    severity: str  # error | warning | info
    where: str
    message: str


class AnnualReportEvent(Schema):
    action: str
    action_label: str
    from_state: str
    to_state: str
    user: str | None
    at: datetime
    comment: str


class AnnualReportDetail(AnnualReportSummary):
    is_latest: bool  # only the latest version of a year can take a step
    snapshot: dict[str, Any]  # the report JSON as stored in this version
    checks: list[ReportCheck]
    events: list[AnnualReportEvent]


class AnnualReportCreate(Schema):
    agency_id: Id
    year: Year


class StepComment(Schema):
    comment: str = Field("", max_length=1000)  # the reason of a return, a note on approval or correction


class Error(Schema):
    detail: str


def applicant(application: Application, *, unmasked: bool) -> Applicant:
    a = application
    if unmasked:
        values = (a.applicant_name, a.applicant_id_number, a.applicant_phone, a.applicant_email, a.applicant_address)
    else:
        masked = masked_personal_data(a)
        values = (mask_name(a.applicant_name), masked["id_number"], masked["phone"], masked["email"], masked["address"])
    name, id_number, phone, email, address = values
    return Applicant(type=a.applicant_type, type_label=a.get_applicant_type_display(), name=name, id_number=id_number,
                     phone=phone, email=email, address=address, masked=not unmasked)
