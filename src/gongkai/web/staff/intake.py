"""Staff registration of applications received offline: 信函、当面、传真、电子邮件 (网上 is the public form).

The form is the public application form (``public/forms.py``: the same fields, the same checks of
identity numbers and phones, the same signed one-time form token) with the channel and the
receipt date added and the agency narrowed to those where the user holds the 受理登记 role.
A form token is stored the way the public form stores it (a ``PublicSubmission`` row, unique on
the token, written in the registration's transaction), so a second submit of the same page
registers nothing.  Whether registration was late is derived from the calendar, never stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from gongkai.web.agencies.models import Agency
from gongkai.web.agencies.selectors import agencies_visible_to
from gongkai.web.cases.models import Application
from gongkai.web.cases.rules import step_permission
from gongkai.web.cases.selectors import cases_visible_to
from gongkai.web.cases.services import application_register
from gongkai.web.public.forms import ApplicationForm, new_form_token
from gongkai.web.public.models import PublicSubmission
from gongkai.web.public.services import register_once
from gongkai.web.schedules.calendar import site_calendar
from gongkai.workdays import WorkCalendar
from gongkai.workdays.errors import WorkdaysError

from .service_forms import add_service_errors, date_field

LOGIN_URL = "staff:login"
RESULT_SESSION_KEY = "gongkai_staff_registration_{}"
NO_ROLE = "您在任何机构都没有受理登记岗位，不能登记申请。"

Channel = Application.Channel
OFFLINE_CHANNELS = (Channel.LETTER, Channel.IN_PERSON, Channel.FAX, Channel.EMAIL)

# 条例第三十一条, split by channel (the whole article is the help text of Application.received_on):
# (一) 当面; (二) 邮寄, and 平常信函 confirmed with the applicant; (三) 互联网渠道 (e-mail) and 传真.
RECEIPT_DATE_RULES = {
    Channel.LETTER: "以行政机关签收之日为收到申请之日；平常信函等无需签收的，以与申请人双方确认之日为收到申请之日",
    Channel.IN_PERSON: "以提交之日为收到申请之日",
    Channel.FAX: "以双方确认之日为收到申请之日",
    Channel.EMAIL: "以双方确认之日为收到申请之日",
}


# ---------------------------------------------------------------- derived: was the registration late?


@dataclass(frozen=True)
class RegistrationTiming:
    due: date  # the last day on which registering was in time
    registered_on: date
    late: bool
    working_days: int  # GONGKAI_REGISTRATION_WORKING_DAYS
    provisional: bool = False  # ``due`` lies in a year without a published schedule (预计)


def registration_timing(application: Application, *, calendar: WorkCalendar) -> RegistrationTiming | None:
    """When an application received offline had to be registered, and whether it was registered later.

    None for an online application (the system registers it the day it confirms receipt, so it is
    never late) and when the calendar does not cover the days.  Pass the calendar already loaded:
    a list computes this for every row.
    """
    if application.channel == Channel.ONLINE:
        return None
    try:
        due = application.registration_due(calendar=calendar)
        late = application.is_registered_late(calendar=calendar)
    except WorkdaysError:
        return None
    return RegistrationTiming(due, timezone.localdate(application.registered_at), late,
                              settings.GONGKAI_REGISTRATION_WORKING_DAYS, calendar.is_provisional(due))


# ---------------------------------------------------------------- service


@dataclass(frozen=True)
class OfflineRegistration:
    application: Application
    query_code: str | None  # None when this form token had already registered (the code was shown then)


def intake_agencies(user) -> list[Agency]:
    """The agencies where ``user`` may register applications: the same permission the service checks."""
    permission = step_permission("register")
    return [agency for agency in agencies_visible_to(user).order_by("full_name") if user.has_perm(permission, agency)]


def offline_application_register(
    *, token: str, agency: Agency, acting_user, channel: str, received_on: date, applicant_type: str,
    applicant_name: str, applicant_id_number: str, applicant_phone: str, applicant_address: str = "",
    applicant_email: str = "", information_sought: str, delivery_form: str,
) -> OfflineRegistration:
    """Register an application received by letter, in person, by fax or by e-mail, once per form token.

    ``public.services.register_once`` keeps a second submit of the same form (even at the same
    moment) from registering again; ``application_register`` checks the 受理登记 role
    (PermissionDenied) and the receipt date.
    """
    if channel not in OFFLINE_CHANNELS:
        raise ValidationError({"channel": "请选择信函、当面、传真或电子邮件；网上申请由申请人在线提交"})
    submitted = register_once(token=token, register=lambda: application_register(
        agency=agency, acting_user=acting_user, applicant_type=applicant_type, applicant_name=applicant_name,
        channel=channel, received_on=received_on, information_sought=information_sought,
        applicant_id_number=applicant_id_number, applicant_phone=applicant_phone,
        applicant_email=applicant_email, applicant_address=applicant_address, delivery_form=delivery_form,
    ))
    return OfflineRegistration(submitted.application, submitted.query_code)


# ---------------------------------------------------------------- form


class RegistrationForm(ApplicationForm):
    """The public form's fields and checks, plus how and when the application was received."""

    purpose = None  # the public form asks for it; a registering officer does not
    channel = forms.ChoiceField(
        label="申请方式", choices=[(c.value, c.label) for c in OFFLINE_CHANNELS], widget=forms.RadioSelect,
        error_messages={"required": "请选择申请方式", "invalid_choice": "请选择信函、当面、传真或电子邮件"})
    received_on = date_field("收到申请日期")

    field_order = ["agency", "channel", "received_on", "applicant_type", "applicant_name", "applicant_id_number",
                   "applicant_phone", "applicant_address", "applicant_email", "information_sought", "delivery_form"]

    def __init__(self, *args, agencies: list[Agency], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        field.queryset = Agency.objects.filter(pk__in=[a.pk for a in agencies]).order_by("full_name")
        field.error_messages["invalid_choice"] = "您不能为所选机构登记申请"
        if len(agencies) == 1:
            field.initial, field.empty_label = agencies[0].pk, None

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        today = timezone.localdate()
        if day > today:
            raise forms.ValidationError(f"收到申请日期不能晚于今天（{today:%Y-%m-%d}）")
        calendar = site_calendar()
        if not calendar.covers(day):
            raise forms.ValidationError(
                f"工作日安排只有 {calendar.first_year}—{calendar.last_year} 年，无法按 {day.year} 年计算期限，请核对日期")
        return day


# ---------------------------------------------------------------- views


def _refused(request, message: str):
    return render(request, "staff/case_register.html", {"refused": message}, status=403)


@never_cache
@login_required(login_url=LOGIN_URL)
@require_http_methods(["GET", "POST"])
def case_register(request):
    agencies = intake_agencies(request.user)
    if not agencies:
        return _refused(request, NO_ROLE)
    if request.method == "POST":
        form = RegistrationForm(request.POST, agencies=agencies)
        if form.is_valid() and (earlier := form.earlier_same_requests()):
            return render(request, "staff/case_register.html", _form_context(form, earlier=earlier))
        if form.is_valid():
            data = form.cleaned_data
            token = data["form_token"]
            try:
                result = offline_application_register(
                    token=token, agency=data["agency"], acting_user=request.user, channel=data["channel"],
                    received_on=data["received_on"], applicant_type=data["applicant_type"],
                    applicant_name=data["applicant_name"], applicant_id_number=data["applicant_id_number"],
                    applicant_phone=data["applicant_phone"], applicant_address=data["applicant_address"].strip(),
                    applicant_email=data["applicant_email"], information_sought=data["information_sought"].strip(),
                    delivery_form=data["delivery_form"])
            except PermissionDenied as error:
                return _refused(request, str(error) or NO_ROLE)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if result.query_code is None:
                    messages.info(request, "此登记表已经提交过，没有重复登记。")
                else:
                    request.session[RESULT_SESSION_KEY.format(token)] = {
                        "application": result.application.pk, "query_code": result.query_code}
                return redirect("staff:case_register_done", token=token)
        status = 400
    else:
        form = RegistrationForm(agencies=agencies, initial={"form_token": new_form_token()})
        status = 200
    return render(request, "staff/case_register.html", _form_context(form), status=status)


def _form_context(form, *, earlier=()) -> dict:
    rules = [(channel.value, channel.label, RECEIPT_DATE_RULES[channel]) for channel in OFFLINE_CHANNELS]
    return {"form": form, "receipt_rules": rules, "working_days": settings.GONGKAI_REGISTRATION_WORKING_DAYS,
            "earlier": earlier}


@never_cache
@login_required(login_url=LOGIN_URL)
def case_register_done(request, token: str):
    """The number, and the query code once: it is taken out of the session as it is shown."""
    result = request.session.pop(RESULT_SESSION_KEY.format(token), None)
    visible = cases_visible_to(request.user).select_related("agency")
    if result is not None:
        application = visible.filter(pk=result["application"]).first()
        query_code = result["query_code"]
    else:
        submission = PublicSubmission.objects.filter(token=token).only("application_id").first()
        application = visible.filter(pk=submission.application_id).first() if submission else None
        query_code = None
    if application is None:
        return redirect("staff:case_register")
    return render(request, "staff/case_register_done.html", {
        "application": application, "query_code": query_code,
        "registration": registration_timing(application, calendar=site_calendar())})
