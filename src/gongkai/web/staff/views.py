"""Staff pages: my cases, a case with its statutory steps, and the log of personal-data views."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.web.cases.models import Application
from gongkai.web.cases.selectors import cases_visible_to
from gongkai.web.public.models import PublicSubmission
from gongkai.web.schedules.calendar import site_calendar
from gongkai.web.supervision.drilldown import cases_drilldown
from gongkai.workdays.errors import WorkdaysError

from .intake import registration_timing
from .masking import mask_address, mask_id_number, mask_phone
from .personal_data import masked_personal_data, may_see_personal_data, personal_data_shown
from .selectors import calendar_notice, case_row
from .steps import STEPS, steps_available
from .waiting import case_waiting

PAGE_SIZE = 25
LOGIN_URL = "staff:login"
# Those handling a case in its own agency may see the applicant's personal data; a supervisor
# of the parent agency sees the case but not the data.


class LoginView(auth_views.LoginView):
    template_name = "staff/login.html"
    redirect_authenticated_user = True
    next_page = "staff:home"


class LogoutView(auth_views.LogoutView):
    next_page = "staff:login"


@login_required(login_url=LOGIN_URL)
def case_list(request):
    cases = cases_visible_to(request.user).select_related("agency", "assignee").prefetch_related("consultations")
    state = request.GET.get("state", "")
    if state in Application.State.values:
        cases = cases.filter(state=state)
    else:
        state = ""
    mine = request.GET.get("mine") == "1"
    if mine:
        cases = cases.filter(assignee=request.user)
    cases, drilldown = cases_drilldown(request, cases)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    today, calendar = timezone.localdate(), site_calendar()
    rows = [case_row(application, today=today, calendar=calendar) for application in page.object_list]
    for row in rows:
        application = row.application
        application.masked_id_number = mask_id_number(application.applicant_id_number)
        application.masked_phone = mask_phone(application.applicant_phone)
        application.masked_address = mask_address(application.applicant_address)
        application.registration = registration_timing(application, calendar=calendar)
    return render(request, "staff/case_list.html", {
        "page": page, "rows": rows, "state": state, "mine": mine, "states": Application.State.choices, "today": today,
        "drilldown": drilldown, "calendar_notice": calendar_notice(today, calendar)})


@login_required(login_url=LOGIN_URL)
def case_detail(request, pk: int):
    application = get_object_or_404(
        cases_visible_to(request.user).select_related("agency").prefetch_related("consultations", "events__acting_user"),
        pk=pk)
    allowed = may_see_personal_data(request.user, application)
    show_personal = personal_data_shown(request, application, asked=request.GET.get("personal") == "1")
    today = timezone.localdate()
    calendar = site_calendar()
    try:
        deadline = application.reply_deadline(today=today, calendar=calendar)
        explanation, due = deadline.explain(), deadline.due
    except WorkdaysError as error:
        deadline, explanation, due = None, f"无法计算答复期限：{error}", None
    row = case_row(application, today=today, calendar=calendar)
    submission = PublicSubmission.objects.filter(application=application).first()
    steps = [(step, step.bind(application)) for step in steps_available(application, request.user)]
    return render(request, "staff/case_detail.html", {
        "application": application, "row": row, "due": due, "deadline": deadline, "explanation": explanation,
        "registration": registration_timing(application, calendar=calendar),
        "show_personal": show_personal, "may_see_personal": allowed,
        "masked": masked_personal_data(application),
        "purpose": submission.purpose if submission else "",
        "steps": steps, "events": application.events.all(), "consultations": application.consultations.all(),
        "waiting": case_waiting(application, offered={step.key for step, _form in steps}),
    })


@require_POST
@login_required(login_url=LOGIN_URL)
def case_step(request, pk: int, step: str):
    """Run one statutory step; the service checks the role and the state again (PermissionDenied → 403)."""
    application = get_object_or_404(cases_visible_to(request.user), pk=pk)
    if step not in STEPS:
        raise Http404("没有这个办理步骤")
    definition = STEPS[step]
    form = definition.bind(application, request.POST)
    if not form.is_valid():
        errors = "；".join(error for field_errors in form.errors.values() for error in field_errors)
        messages.error(request, f"{definition.label}未完成：{errors}")
        return redirect("staff:case_detail", pk=pk)
    try:
        definition.run(application, request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, f"{definition.label}未完成：{'；'.join(error.messages)}")
    else:
        messages.success(request, f"已完成：{definition.label}")
    return redirect("staff:case_detail", pk=pk)
