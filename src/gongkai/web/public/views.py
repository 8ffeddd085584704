"""Applicant-facing pages: the online application form and the progress query. No login."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from gongkai.report import taxonomy as tx
from gongkai.web.agencies.models import Agency
from gongkai.web.cases.models import Application
from gongkai.web.cases.services import query_code_matches
from gongkai.web.client_address import client_address
from gongkai.web.query import id_from
from gongkai.workdays.errors import WorkdaysError

from .forms import ApplicationForm, ProgressForm, new_form_token
from .models import PublicSubmission
from .services import online_application_submit, sealed_codes_drop
from .throttle import application_admit, application_limit_message, progress_failure_record, progress_is_throttled

RESULT_SESSION_KEY = "gongkai_public_result_{}"
NOT_FOUND = "申请编号或查询码不正确，请核对后重试。"
THROTTLED = "查询失败次数过多，请 15 分钟后再试。"


@never_cache
@require_http_methods(["GET", "POST"])
def application_create(request):
    if request.method == "POST":
        form = ApplicationForm(request.POST)
        if form.is_valid() and form.earlier_same_requests():
            return render(request, "public/apply.html", {"form": form, "repeat_warning": True})
        if form.is_valid() and not _admitted(request, form):
            form.add_error(None, application_limit_message())
            return render(request, "public/apply.html", {"form": form}, status=429)
        if form.is_valid():
            data = form.cleaned_data
            token = data["form_token"]
            submission = online_application_submit(
                token=token, agency=data["agency"], applicant_type=data["applicant_type"],
                applicant_name=data["applicant_name"], applicant_id_number=data["applicant_id_number"],
                applicant_phone=data["applicant_phone"], applicant_address=data["applicant_address"].strip(),
                applicant_email=data["applicant_email"], information_sought=data["information_sought"].strip(),
                delivery_form=data["delivery_form"], purpose=data["purpose"].strip(),
            )
            if submission.query_code is not None:
                request.session[RESULT_SESSION_KEY.format(token)] = {
                    "number": submission.application.number, "query_code": submission.query_code}
            return redirect("public:application_done", token=token)
        status = 400
    else:
        initial = {"form_token": new_form_token()}
        agency = id_from(request.GET.get("agency"))  # the 申请公开 link of an agency's 专栏 names it
        if agency is not None and Agency.objects.filter(pk=agency).exists():
            initial["agency"] = agency
        form = ApplicationForm(initial=initial)
        status = 200
    return render(request, "public/apply.html", {"form": form}, status=status)


def _admitted(request, form) -> bool:
    """A new form counts against the address's limit; the same form posted again does not."""
    if PublicSubmission.objects.filter(token=form.cleaned_data["form_token"]).exists():
        return True
    return application_admit(ip=client_address(request))


@never_cache
def application_done(request, token: str):
    """Shows the number and query code once: they are taken out of the session as they are shown."""
    result = request.session.pop(RESULT_SESSION_KEY.format(token), None)
    if result is None:
        submission = (PublicSubmission.objects.select_related("application")
                      .filter(token=token, application__channel=Application.Channel.ONLINE).first())
        if submission is None:
            return redirect("public:application_create")
        result = {"number": submission.application.number, "query_code": None}
    return render(request, "public/apply_done.html", {"result": result})


@never_cache
@require_http_methods(["GET", "POST"])
def progress(request):
    form = ProgressForm(request.POST or None)
    context = {"form": form}
    status = 200
    if request.method == "POST" and form.is_valid():
        ip, number = client_address(request), form.cleaned_data["number"]
        if progress_is_throttled(ip=ip, number=number):
            context["error"], status = THROTTLED, 429
        else:
            application = Application.objects.filter(number=number).first()
            if application is None or not query_code_matches(application, form.cleaned_data["query_code"]):
                progress_failure_record(ip=ip, number=number)
                context["error"], status = NOT_FOUND, 200
            else:
                context["status"] = progress_status(application)
                sealed_codes_drop(PublicSubmission.objects.filter(application=application))
    elif request.method == "POST":
        status = 400
    return render(request, "public/progress.html", context, status=status)


def progress_status(application: Application) -> dict:
    """What the applicant may see: state, received and due dates, and the outcome once answered."""
    try:
        deadline = application.reply_deadline(today=timezone.localdate())
        due, provisional = deadline.due, deadline.provisional_reason
    except WorkdaysError:
        due, provisional = None, ""
    answered = application.state in Application.CLOSED_STATES and application.outcome
    return {
        "number": application.number,
        "state": Application.State(application.state).label,
        "received_on": application.received_on,
        "due": due,
        "due_provisional": provisional,  # why the due date is only 预计, or ""
        "outcome": tx.outcome_short_label(application.outcome) if answered else None,
        "closed_on": application.closed_on if answered else None,
    }
