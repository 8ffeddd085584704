"""Staff pages for administrative reviews and lawsuits (table 四): list, register, decide, correct.

Reads go through ``agencies_visible_to`` (own agency; a supervisor's whole subtree,
read-only); every change goes through ``appeals.services``, which checks the role again.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai.web.agencies.selectors import agencies_visible_to
from gongkai.web.appeals import services
from gongkai.web.appeals.models import Appeal
from gongkai.web.cases.selectors import cases_visible_to

from .service_forms import add_service_errors, date_field

LOGIN_URL = "staff:login"
PAGE_SIZE = 25


def _agencies_where(user, action: str):
    return [agency for agency in agencies_visible_to(user) if services.appeal_may(user, action, agency)]


class AppealForm(forms.Form):
    agency = forms.TypedChoiceField(label="被申请人/被告机构", coerce=int,
                                    error_messages={"required": "请选择机构", "invalid_choice": "机构无效"})
    application_number = forms.CharField(label="所涉申请编号", max_length=40,
                                         help_text="如 GK001-2024-00012；复议后起诉必须填写")
    kind = forms.ChoiceField(label="类型", choices=Appeal.Kind.choices,
                             error_messages={"required": "请选择类型", "invalid_choice": "类型无效"})
    case_number = forms.CharField(label="案号", max_length=100, required=False)
    filed_on = date_field("受理/立案日期")
    result = forms.ChoiceField(label="结果", choices=Appeal.Result.choices, initial=Appeal.Result.PENDING,
                               error_messages={"invalid_choice": "结果无效"})
    decided_on = date_field("审结日期（已审结时填写）", required=False)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(a.pk, a.full_name) for a in agencies]
        self.fields["application_number"].required = False


class DecideForm(forms.Form):
    result = forms.ChoiceField(label="审结结果", choices=[c for c in Appeal.Result.choices
                                                          if c[0] != Appeal.Result.PENDING],
                               error_messages={"required": "请选择审结结果", "invalid_choice": "结果无效"})
    decided_on = date_field("审结日期")


class CorrectForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=Appeal.Kind.choices)
    case_number = forms.CharField(label="案号", max_length=100, required=False)
    filed_on = date_field("受理/立案日期")
    result = forms.ChoiceField(label="结果", choices=Appeal.Result.choices)
    decided_on = date_field("审结日期", required=False)
    reason = forms.CharField(label="更正理由", max_length=100, error_messages={"required": "请填写更正理由"})


@login_required(login_url=LOGIN_URL)
def appeal_list(request):
    appeals = (Appeal.objects.filter(agency__in=agencies_visible_to(request.user))
               .select_related("agency", "application").order_by("-filed_on", "-pk"))
    kind, result = request.GET.get("kind", ""), request.GET.get("result", "")
    if kind in Appeal.Kind.values:
        appeals = appeals.filter(kind=kind)
    else:
        kind = ""
    if result in Appeal.Result.values:
        appeals = appeals.filter(result=result)
    else:
        result = ""
    page = Paginator(appeals, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "staff/appeal_list.html", {
        "page": page, "kind": kind, "result": result, "kinds": Appeal.Kind.choices, "results": Appeal.Result.choices,
        "may_register": bool(_agencies_where(request.user, "register"))})


@login_required(login_url=LOGIN_URL)
def appeal_create(request):
    agencies = _agencies_where(request.user, "register")
    if not agencies:
        raise PermissionDenied("您没有登记行政复议或诉讼的岗位")
    initial = {"application_number": request.GET.get("application", "")}
    form = AppealForm(request.POST or None, agencies=agencies, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        agency = next(a for a in agencies if a.pk == data["agency"])
        application = None
        number = data["application_number"].strip()
        if number:
            application = cases_visible_to(request.user).filter(number=number).select_related("agency").first()
            if application is None:
                form.add_error("application_number", f"找不到申请编号「{number}」")
        if not form.errors:
            try:
                appeal = services.appeal_register(
                    agency=agency, acting_user=request.user, kind=data["kind"], filed_on=data["filed_on"],
                    application=application, case_number=data["case_number"], result=data["result"],
                    decided_on=data["decided_on"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"已登记：{appeal}")
                return redirect("staff:appeal_detail", pk=appeal.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "staff/appeal_form.html", {"form": form}, status=status)


def _visible_appeal(request, pk: int) -> Appeal:
    return get_object_or_404(Appeal.objects.filter(agency__in=agencies_visible_to(request.user))
                             .select_related("agency", "application"), pk=pk)


def _require(user, action: str, appeal: Appeal) -> None:
    """Refuse before reading the form (a supervisor sees the appeal but may not change it); 403."""
    if not services.appeal_may(user, action, appeal.agency):
        raise PermissionDenied("您在该机构没有此操作的岗位")


def _detail(request, appeal: Appeal, *, decide_form=None, correct_form=None, status=200):
    may_decide = appeal.result == Appeal.Result.PENDING and services.appeal_may(request.user, "decide", appeal.agency)
    may_correct = services.appeal_may(request.user, "correct", appeal.agency)
    if may_decide and decide_form is None:
        decide_form = DecideForm(prefix="decide")
    if may_correct and correct_form is None:
        correct_form = CorrectForm(prefix="correct", initial={
            "kind": appeal.kind, "case_number": appeal.case_number, "filed_on": appeal.filed_on,
            "result": appeal.result, "decided_on": appeal.decided_on})
    history = appeal.history.select_related("history_user").order_by("-history_date", "-history_id")
    return render(request, "staff/appeal_detail.html", {
        "appeal": appeal, "history": history,
        # a posted form is shown again with its errors even if the appeal changed meanwhile
        "decide_form": decide_form if may_decide or (decide_form is not None and decide_form.is_bound) else None,
        "correct_form": correct_form if may_correct else None}, status=status)


@login_required(login_url=LOGIN_URL)
def appeal_detail(request, pk: int):
    return _detail(request, _visible_appeal(request, pk))


@require_POST
@login_required(login_url=LOGIN_URL)
def appeal_decide(request, pk: int):
    appeal = _visible_appeal(request, pk)
    _require(request.user, "decide", appeal)
    form = DecideForm(request.POST, prefix="decide")
    if form.is_valid():
        try:
            services.appeal_decide(appeal=appeal, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "已记录审结结果")
            return redirect("staff:appeal_detail", pk=pk)
    return _detail(request, appeal, decide_form=form, status=400)


@require_POST
@login_required(login_url=LOGIN_URL)
def appeal_correct(request, pk: int):
    appeal = _visible_appeal(request, pk)
    _require(request.user, "correct", appeal)
    form = CorrectForm(request.POST, prefix="correct")
    if form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        try:
            services.appeal_correct(appeal=appeal, acting_user=request.user, reason=reason, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "已更正")
            return redirect("staff:appeal_detail", pk=pk)
    return _detail(request, _visible_appeal(request, pk), correct_form=form, status=400)  # fresh, unchanged row
