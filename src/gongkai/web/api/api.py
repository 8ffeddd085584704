"""``/api/``: the same questions the pages answer, as JSON, through the same gates.

Reads go through ``cases_visible_to`` / ``agencies_visible_to`` (a case outside them is a
404, exactly as on the pages); writes call the statutory services, whose own role checks
answer 403.  Authentication is Django's session (CSRF-checked for POST).  Applicant
personal data is masked unless the user holds a handling role in the case's own agency and
asks for it (``?personal=true``); each unmasked view is logged.  Annual report records read
through ``records_visible_to`` and move only through the annual services (a supervisor of
the parent sees them, changes none).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.http import content_disposition_header
from ninja import Body, NinjaAPI, Query, Schema, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as InputError
from ninja.security import django_auth
from pydantic import Field

from gongkai.web.agencies.selectors import agencies_visible_to
from gongkai.web.annual import services as annual_services
from gongkai.web.annual.build import annual_report
from gongkai.web.annual.downloads import DOWNLOAD_FORMATS, record_file
from gongkai.web.annual.models import AnnualReportRecord
from gongkai.web.annual.selectors import latest_version, record_checks, records_visible_to
from gongkai.web.appeals.models import Appeal
from gongkai.web.appeals.services import CORRECTABLE_FIELDS as APPEAL_FIELDS
from gongkai.web.cases import services
from gongkai.web.cases.models import Application
from gongkai.web.cases.selectors import cases_visible_to
from gongkai.web.staff.personal_data import personal_data_shown
from gongkai.workdays import WorkdaysError

from . import schemas
from .errors import document_error_responses, error_in_chinese
from .schemas import Id, Year


class GongkaiAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        return document_error_responses(super().get_openapi_schema(**kwargs))


api = GongkaiAPI(
    title="gongkai API", version="1", urls_namespace="api", auth=django_auth,
    description="政府信息公开工作系统：依申请公开案件、行政复议与诉讼、年度报告。权限与页面相同。",
)

# Steps without arguments that the API can take; each calls its service, which checks the role.
TRANSITIONS = {
    "start_review": services.application_start_review,
    "accept": services.application_accept,
    "approve_review": services.application_approve_review,
    "sign": services.application_sign,
    "archive": services.application_archive,
}
MAX_PAGE = 500
MAX_OFFSET = 10**9  # more cases than any agency will have; a bigger OFFSET overflows SQL integers

# The annual report's workflow steps: each calls its service, which checks role, state and version.
REPORT_STEPS = {
    "submit": lambda record, user, comment: annual_services.annual_report_record_submit(record=record, acting_user=user),
    "approve": lambda record, user, comment: annual_services.annual_report_record_approve(
        record=record, acting_user=user, comment=comment),
    "return": lambda record, user, comment: annual_services.annual_report_record_return(
        record=record, acting_user=user, comment=comment),
    "publish": lambda record, user, comment: annual_services.annual_report_record_publish(record=record,
                                                                                          acting_user=user),
    "correct": lambda record, user, comment: annual_services.annual_report_record_correct(
        record=record, acting_user=user, comment=comment),
}
HISTORY_ACTIONS = {"+": ("created", "登记"), "~": ("changed", "修改"), "-": ("deleted", "删除")}


@api.exception_handler(PermissionDenied)
def _forbidden(request, error):
    return api.create_response(request, {"detail": str(error) or "无权执行此操作"}, status=403)


@api.exception_handler(ValidationError)
def _invalid(request, error):
    return api.create_response(request, {"detail": "；".join(error.messages)}, status=409)


@api.exception_handler(InputError)
def _invalid_input(request, error):
    return api.create_response(request, {"detail": [error_in_chinese(e) for e in error.errors]}, status=422)


def _deadline(application: Application, today: date):
    try:
        return application.reply_deadline(today=today)
    except WorkdaysError:
        return None  # a year whose holiday schedule is not loaded yet: no due date rather than a guess


def _summary_fields(application: Application, today: date) -> dict:
    deadline = _deadline(application, today)
    due = deadline.due if deadline else None
    overdue = None
    if due is not None:
        overdue = application.closed_on > due if application.closed_on else today > due
    return dict(number=application.number, agency_id=application.agency_id, agency=application.agency.full_name,
                state=application.state, state_label=application.get_state_display(), channel=application.channel,
                received_on=application.received_on, closed_on=application.closed_on,
                outcome=application.outcome or None, due_on=due, overdue=overdue,
                due_provisional=bool(deadline and deadline.provisional),
                due_provisional_reason=deadline.provisional_reason if deadline else "",
                applicant_type=application.applicant_type), deadline


def _visible_application(request, number: str) -> Application:
    return get_object_or_404(cases_visible_to(request.user).select_related("agency"), number=number)


class ApplicationFilter(Schema):
    # Bounds keep every number one the database takes; outside them the answer is a 422 naming the field.
    agency_id: Id | None = None
    state: str | None = None
    received_year: Year | None = None
    limit: int = 100
    offset: int = Field(0, le=MAX_OFFSET)


@api.get("/agencies", response=list[schemas.Agency], tags=["agencies"], summary="可见的机构")
def agency_list(request):
    return list(agencies_visible_to(request.user).order_by("pk"))


@api.get("/applications", response=list[schemas.ApplicationSummary], tags=["applications"],
         summary="可见的依申请公开案件（申请人信息不在列表中出现）")
def application_list(request, filters: Query[ApplicationFilter]):
    queryset = cases_visible_to(request.user).select_related("agency").prefetch_related("consultations")
    if filters.agency_id is not None:
        queryset = queryset.filter(agency_id=filters.agency_id)
    if filters.state:
        queryset = queryset.filter(state=filters.state)
    if filters.received_year:
        queryset = queryset.filter(received_on__year=filters.received_year)
    offset, limit = max(filters.offset, 0), min(max(filters.limit, 1), MAX_PAGE)
    today = timezone.localdate()
    return [_summary_fields(a, today)[0] for a in queryset.order_by("-received_on", "-pk")[offset:offset + limit]]


@api.get("/applications/{number}", response=schemas.ApplicationDetail, tags=["applications"],
         summary="案件详情（申请人信息默认遮蔽；经办人以 personal=true 查看完整信息，每次查看均记录）")
def application_detail(request, number: str, personal: bool = False):
    application = _visible_application(request, number)
    unmasked = personal_data_shown(request, application, asked=personal)
    fields, deadline = _summary_fields(application, timezone.localdate())
    return dict(fields, applicant=schemas.applicant(application, unmasked=unmasked),
                information_sought=application.information_sought, delivery_form=application.delivery_form,
                correction_requested_on=application.correction_requested_on,
                correction_received_on=application.correction_received_on,
                extension_days=application.approved_extension_days,
                due_explanation=deadline.explain() if deadline else None,
                fee_notices=[dict(basis=n.basis, basis_label=n.get_basis_display(), amount=n.amount,
                                  explanation=n.explanation, issued_on=n.issued_on, due_on=n.due_on,
                                  paid_on=n.paid_on, lapsed_on=n.lapsed_on)
                             for n in application.fee_notices.order_by("issued_on", "pk")])


@api.post("/applications/{number}/transitions/{step}", response={200: schemas.ApplicationDetail,
                                                                   403: schemas.Error, 404: schemas.Error,
                                                                   409: schemas.Error},
          tags=["applications"], summary="办理一步（开始审查、转承办、审核通过、签发、归档）")
def application_transition(request, number: str, step: str):
    service = TRANSITIONS.get(step)
    if service is None:
        raise HttpError(404, f"没有可通过接口执行的步骤「{step}」；可用：{'、'.join(TRANSITIONS)}")
    service(application=_visible_application(request, number), acting_user=request.user)
    return application_detail(request, number)


def _visible_appeals(user):
    """The appeals of the agencies ``user`` may see: the one gate of the list and the detail."""
    return Appeal.objects.filter(agency__in=agencies_visible_to(user)).select_related("agency", "application")


def _appeal_fields(a: Appeal) -> dict:
    return dict(id=a.pk, agency_id=a.agency_id, agency=a.agency.full_name,
                application_number=a.application.number if a.application else None, kind=a.kind,
                kind_label=a.get_kind_display(), case_number=a.case_number, filed_on=a.filed_on, result=a.result,
                result_label=a.get_result_display(), decided_on=a.decided_on)


@api.get("/appeals", response=list[schemas.Appeal], tags=["appeals"], summary="可见的行政复议与诉讼")
def appeal_list(request, agency_id: Id | None = None):
    appeals = _visible_appeals(request.user)
    if agency_id is not None:
        appeals = appeals.filter(agency_id=agency_id)
    return [_appeal_fields(a) for a in appeals.order_by("-filed_on", "-pk")]


def _appeal_value(field: str, value, numbers: dict[int, str]) -> str | None:
    """A historical value as the page shows it: choice labels, ISO dates, the application's number."""
    if value is None or value == "":
        return None
    if field == "application":
        return numbers.get(value, str(value))
    choices = {"kind": Appeal.Kind, "result": Appeal.Result}.get(field)
    if choices is not None:
        return dict(choices.choices).get(value, value)
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _appeal_history(appeal: Appeal) -> list[dict]:
    """Every version kept by simple-history, newest first, each with what changed from the one before."""
    records = list(appeal.history.select_related("history_user").order_by("history_date", "history_id"))
    application_ids = {r.application_id for r in records if r.application_id}
    numbers = dict(Application.objects.filter(pk__in=application_ids).values_list("pk", "number"))
    labels = {name: str(Appeal._meta.get_field(name).verbose_name) for name in APPEAL_FIELDS}
    entries, previous = [], None
    for record in records:
        if previous is None:
            changed = [(name, None, getattr(record, f"{name}_id" if name == "application" else name))
                       for name in APPEAL_FIELDS]
        else:
            delta = record.diff_against(previous, included_fields=list(APPEAL_FIELDS))
            changed = [(c.field, c.old, c.new) for c in delta.changes]
        action, action_label = HISTORY_ACTIONS.get(record.history_type, (record.history_type, record.history_type))
        entries.append(dict(
            at=record.history_date, action=action, action_label=action_label,
            user=record.history_user.get_username() if record.history_user else None,
            reason=record.history_change_reason or None,
            changes=[dict(field=name, label=labels[name], old=old, new=new)
                     for name, old, new in ((name, _appeal_value(name, old, numbers), _appeal_value(name, new, numbers))
                                            for name, old, new in changed)
                     if old != new]))
        previous = record
    return entries[::-1]


@api.get("/appeals/{appeal_id}", response=schemas.AppealDetail, tags=["appeals"],
         summary="行政复议或诉讼详情及其全部修改记录（谁、何时、改了什么）")
def appeal_detail(request, appeal_id: Id):
    appeal = get_object_or_404(_visible_appeals(request.user), pk=appeal_id)
    return dict(_appeal_fields(appeal), history=_appeal_history(appeal))


@api.get("/agencies/{agency_id}/reports/{year}", response=dict, tags=["reports"],
         summary="机构年度报告（报告 JSON，表二、三、四由数据库计算）")
def agency_report(request, agency_id: Id, year: Year):
    agency = get_object_or_404(agencies_visible_to(request.user), pk=agency_id)
    return annual_report(agency, year).to_json()


# ---------------------------------------------------------------- annual report records


def _visible_record(request, record_id: int) -> AnnualReportRecord:
    return get_object_or_404(records_visible_to(request.user).select_related("agency"), pk=record_id)


def _record_fields(record: AnnualReportRecord) -> dict:
    return dict(id=record.pk, agency_id=record.agency_id, agency=record.agency.full_name, year=record.year,
                version=record.version, state=record.state, state_label=record.get_state_display(),
                published_at=record.published_at)


def _record_detail(record: AnnualReportRecord) -> dict:
    events = [dict(action=e.action, action_label=e.get_action_display(), from_state=e.from_state,
                   to_state=e.to_state, user=e.acting_user.get_username() if e.acting_user else None, at=e.at,
                   comment=e.comment)
              for e in record.events.select_related("acting_user")]
    return dict(_record_fields(record), is_latest=record.version == latest_version(record.agency, record.year),
                snapshot=record.snapshot, checks=[issue.to_json() for issue in record_checks(record)], events=events)


@api.get("/annual-reports", response=list[schemas.AnnualReportSummary], tags=["reports"],
         summary="可见的年度报告各版本（新的在前；主管部门可见下级机构的报告）")
def annual_report_list(request, agency_id: Id | None = None, year: Year | None = None):
    records = records_visible_to(request.user).select_related("agency")
    if agency_id is not None:
        records = records.filter(agency_id=agency_id)
    if year is not None:
        records = records.filter(year=year)
    return [_record_fields(r) for r in records.order_by("-year", "-created_at", "-pk")]


@api.post("/annual-reports", response={201: schemas.AnnualReportDetail, 403: schemas.Error, 404: schemas.Error,
                                       409: schemas.Error},
          tags=["reports"], summary="生成年度报告草稿（表格由数据计算，总体情况按当年数据起草）")
def annual_report_create(request, payload: schemas.AnnualReportCreate):
    agency = get_object_or_404(agencies_visible_to(request.user), pk=payload.agency_id)
    record = annual_services.annual_report_record_create(agency=agency, year=payload.year, acting_user=request.user)
    return Status(201, _record_detail(record))


@api.get("/annual-reports/{record_id}", response=schemas.AnnualReportDetail, tags=["reports"],
         summary="年度报告的一个版本：报告 JSON、检查结果与操作记录")
def annual_report_detail(request, record_id: Id):
    return _record_detail(_visible_record(request, record_id))


@api.get("/annual-reports/{record_id}/download/{fmt}", tags=["reports"], summary="下载年度报告（html、docx、pdf、json）",
         openapi_extra={"responses": {200: {"description": "报告文件",
                                            "content": {content_type.split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
                                                        for content_type in DOWNLOAD_FORMATS.values()}},
                                      404: {"description": "报告不可见或格式不支持"}}})
def annual_report_download(request, record_id: Id, fmt: str):
    record = _visible_record(request, record_id)
    if fmt not in DOWNLOAD_FORMATS:
        raise HttpError(404, f"不支持的下载格式「{fmt}」；可用：{'、'.join(DOWNLOAD_FORMATS)}")
    file = record_file(record, fmt)
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = content_disposition_header(True, file.filename)
    return response


@api.post("/annual-reports/{record_id}/steps/{step}", response={200: schemas.AnnualReportDetail,
                                                                403: schemas.Error, 404: schemas.Error,
                                                                409: schemas.Error},
          tags=["reports"], summary="年度报告办理一步（提交审核、审核通过、退回修改、签发发布、更正）；返回此后应查看的版本")
def annual_report_step(request, record_id: Id, step: str, payload: Body[schemas.StepComment | None] = None):
    run = REPORT_STEPS.get(step)
    if run is None:
        raise HttpError(404, f"没有可通过接口执行的步骤「{step}」；可用：{'、'.join(REPORT_STEPS)}")
    record = _visible_record(request, record_id)
    shown = run(record, request.user, payload.comment if payload else "")
    return _record_detail(AnnualReportRecord.objects.select_related("agency").get(pk=shown.pk))
