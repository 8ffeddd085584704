"""``/api/``: the same questions the pages answer, as JSON, through the same gates.

Reads go through ``cases_visible_to`` / ``agencies_visible_to`` (a case outside them is a
404, exactly as on the pages); writes call the statutory services, whose own role checks
answer 403.  Authentication is Django's session (CSRF-checked for POST).  Applicant
personal data is masked unless the user holds a handling role in the case's own agency;
each unmasked view is logged.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import NinjaAPI, Query, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from gongkai.web.agencies.selectors import agencies_visible_to
from gongkai.web.annual.build import annual_report
from gongkai.web.appeals.models import Appeal
from gongkai.web.cases import services
from gongkai.web.cases.models import Application
from gongkai.web.cases.selectors import cases_visible_to
from gongkai.web.staff.personal_data import may_see_personal_data, personal_data_viewed
from gongkai.workdays import WorkdaysError

from . import schemas

api = NinjaAPI(
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


@api.exception_handler(PermissionDenied)
def _forbidden(request, error):
    return api.create_response(request, {"detail": str(error) or "无权执行此操作"}, status=403)


@api.exception_handler(ValidationError)
def _invalid(request, error):
    return api.create_response(request, {"detail": "；".join(error.messages)}, status=409)


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
                applicant_type=application.applicant_type), deadline


def _visible_application(request, number: str) -> Application:
    return get_object_or_404(cases_visible_to(request.user).select_related("agency"), number=number)


class ApplicationFilter(Schema):
    agency_id: int | None = None
    state: str | None = None
    received_year: int | None = None
    limit: int = 100
    offset: int = 0


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
         summary="案件详情（经办人可见申请人完整信息，每次查看均记录）")
def application_detail(request, number: str):
    application = _visible_application(request, number)
    unmasked = may_see_personal_data(request.user, application)
    if unmasked:
        personal_data_viewed(user=request.user, application=application, ip_address=request.META.get("REMOTE_ADDR"))
    fields, deadline = _summary_fields(application, timezone.localdate())
    return dict(fields, applicant=schemas.applicant(application, unmasked=unmasked),
                information_sought=application.information_sought, delivery_form=application.delivery_form,
                correction_requested_on=application.correction_requested_on,
                correction_received_on=application.correction_received_on,
                extension_days=application.approved_extension_days,
                due_explanation=deadline.explain() if deadline else None)


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


@api.get("/appeals", response=list[schemas.Appeal], tags=["appeals"], summary="可见的行政复议与诉讼")
def appeal_list(request, agency_id: int | None = None):
    appeals = Appeal.objects.filter(agency__in=agencies_visible_to(request.user)).select_related("agency",
                                                                                                  "application")
    if agency_id is not None:
        appeals = appeals.filter(agency_id=agency_id)
    return [dict(id=a.pk, agency_id=a.agency_id, agency=a.agency.full_name,
                 application_number=a.application.number if a.application else None, kind=a.kind,
                 kind_label=a.get_kind_display(), case_number=a.case_number, filed_on=a.filed_on, result=a.result,
                 result_label=a.get_result_display(), decided_on=a.decided_on)
            for a in appeals.order_by("-filed_on", "-pk")]


@api.get("/agencies/{agency_id}/reports/{year}", response=dict, tags=["reports"],
         summary="机构年度报告（报告 JSON，表二、三、四由数据库计算）")
def agency_report(request, agency_id: int, year: int):
    agency = get_object_or_404(agencies_visible_to(request.user), pk=agency_id)
    return annual_report(agency, year).to_json()
