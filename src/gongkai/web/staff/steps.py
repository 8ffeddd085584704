"""The statutory steps a staff page offers: one form and one existing service per step.

Which steps are offered comes from the same two checks the services make — the django-fsm
transition allowed from the current state, and the role permission of ``cases/rules.py`` —
and the service checks both again when the form is posted.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_fsm import can_proceed

from gongkai.web.agencies.models import Membership
from gongkai.web.cases import fees
from gongkai.web.cases import services as s
from gongkai.web.cases.models import OUTCOME_CHOICES, Application, FeeNotice
from gongkai.web.cases.rules import step_permission
from gongkai.workdays import MAX_EXTENSION_WORKING_DAYS, WorkdaysError


class DateWidget(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


def _date_field(label: str) -> forms.DateField:
    return forms.DateField(label=label, widget=DateWidget(), initial=timezone.localdate,
                           error_messages={"required": f"请填写{label}", "invalid": f"{label}格式不正确"})


class NoInputForm(forms.Form):
    pass


class CorrectionRequestForm(forms.Form):
    requested_on = _date_field("补正告知日期")


class CorrectionReceivedForm(forms.Form):
    received_on = _date_field("补正收到日期")


class AbandonForm(forms.Form):
    on = _date_field("视为放弃日期")


class ConsultationStartForm(forms.Form):
    party = forms.CharField(label="征求意见对象", max_length=200, error_messages={"required": "请填写征求意见对象"})
    start_on = _date_field("征求意见开始日期")


class ConsultationEndForm(forms.Form):
    end_on = _date_field("征求意见结束日期")


class DraftReplyForm(forms.Form):
    outcome = forms.ChoiceField(label="办理结果", choices=OUTCOME_CHOICES,
                                error_messages={"required": "请选择办理结果", "invalid_choice": "办理结果无效"})
    note = forms.CharField(label="结果说明（选填，写入答复告知书）", required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    withheld_reason = forms.CharField(label="不予公开的部分及理由（部分公开时必填）", required=False, max_length=2000,
                                      widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label="退回理由", max_length=280, error_messages={"required": "请填写退回理由"})


class DeliverForm(forms.Form):
    on = _date_field("送达日期")


class ExtensionRequestForm(forms.Form):
    days = forms.IntegerField(label="延长工作日数", min_value=1, max_value=MAX_EXTENSION_WORKING_DAYS,
                              error_messages={"required": "请填写延长工作日数",
                                              "min_value": "延期至少 1 个工作日",
                                              "max_value": f"延期最长 {MAX_EXTENSION_WORKING_DAYS} 个工作日"})
    reason = forms.CharField(label="延期理由", max_length=300, error_messages={"required": "请填写延期理由"})


class ExtensionApproveForm(forms.Form):
    approved_on = _date_field("批准日期")


class AssignForm(forms.Form):
    """转交: the choice is among the 承办 of the application's own agency."""

    assignee = forms.ModelChoiceField(label="转交给", queryset=None,
                                      error_messages={"required": "请选择承办人",
                                                      "invalid_choice": "只能转交给本机构的承办人员"})

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        handlers = (get_user_model().objects.filter(is_active=True, memberships__agency_id=application.agency_id,
                                                    memberships__role=Membership.Role.HANDLER)
                    .exclude(pk=application.assignee_id).distinct().order_by("username"))
        self.fields["assignee"].queryset = handlers
        self.fields["assignee"].label_from_instance = lambda user: user.get_full_name() or user.get_username()


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    form: type[forms.Form]
    run: Callable[..., Application]  # run(application, acting_user, **cleaned_data)
    possible: Callable[[Application], bool]  # allowed from the application's current facts

    def bind(self, application: Application, data=None) -> forms.Form:
        """The step's form; forms that choose among the agency's people are given the application."""
        extra = {"application": application} if "application" in inspect.signature(self.form).parameters else {}
        return self.form(data, prefix=self.key, **extra)


def _fsm(method: str) -> Callable[[Application], bool]:
    return lambda application: can_proceed(getattr(application, method))


def _correction_lapsed(application: Application) -> bool:
    """Offered only once the 补正 period the notice gave has run out (条例第三十条)."""
    if not can_proceed(application.abandon):
        return False
    try:
        end = application.correction_period_end()
    except WorkdaysError:
        return False
    return end is None or timezone.localdate() > end


def _service(function) -> Callable[..., Application]:
    return lambda application, acting_user, **data: function(application=application, acting_user=acting_user, **data)


STEPS: dict[str, Step] = {step.key: step for step in [
    Step("start_review", "开始审查", NoInputForm, _service(s.application_start_review), _fsm("start_review")),
    Step("request_correction", "告知补正", CorrectionRequestForm, _service(s.application_request_correction),
         _fsm("request_correction")),
    Step("receive_correction", "收到补正", CorrectionReceivedForm, _service(s.application_receive_correction),
         _fsm("receive_correction")),
    Step("abandon", "逾期未补正，视为放弃", AbandonForm, _service(s.application_abandon), _correction_lapsed),
    Step("accept", "转承办、检索", NoInputForm, _service(s.application_accept), _fsm("accept")),
    Step("assign", "转交承办人", AssignForm, _service(s.application_assign),
         lambda a: a.assignee_id is not None and not a.is_closed),  # once a handler has taken it on
    Step("start_consultation", "开始征求意见", ConsultationStartForm, _service(s.application_start_consultation),
         _fsm("start_consultation")),
    Step("end_consultation", "征求意见结束", ConsultationEndForm, _service(s.application_end_consultation),
         _fsm("end_consultation")),
    Step("draft_reply", "拟办答复", DraftReplyForm, _service(s.application_draft_reply), _fsm("draft_reply")),
    Step("approve_review", "审核通过", NoInputForm, _service(s.application_approve_review), _fsm("approve_review")),
    Step("return_for_rework", "审核退回", ReasonForm, _service(s.application_return_for_rework),
         _fsm("return_for_rework")),
    Step("sign", "签发", NoInputForm, _service(s.application_sign), _fsm("sign")),
    Step("deliver", "答复送达", DeliverForm, _service(s.application_deliver), _fsm("deliver")),
    Step("archive", "归档", NoInputForm, _service(s.application_archive), _fsm("archive")),
    Step("request_extension", "申请延期", ExtensionRequestForm, _service(s.application_request_extension),
         lambda a: not a.is_closed and not a.extension_approved_on),
    Step("approve_extension", "批准延期", ExtensionApproveForm, _service(s.application_approve_extension),
         lambda a: not a.is_closed and bool(a.extension_days) and not a.extension_approved_on),
]}


class FeeNoticeForm(forms.Form):
    basis = forms.ChoiceField(label="计收方式", choices=FeeNotice.Basis.choices,
                              error_messages={"required": "请选择计收方式", "invalid_choice": "计收方式无效"})
    items = forms.IntegerField(label="本申请计件数（按件计收，一事一申请拆分时填写）", required=False, initial=1,
                               min_value=1, max_value=fees.MAX_ITEMS_PER_APPLICATION,
                               error_messages={"min_value": "计件数至少为 1",
                                               "max_value": f"计件数最多 {fees.MAX_ITEMS_PER_APPLICATION}",
                                               "invalid": "计件数应为整数"})
    pages = forms.IntegerField(label="页数（按量计收时必填）", required=False, min_value=1,
                               error_messages={"min_value": "页数至少为 1", "invalid": "页数应为整数"})
    issued_on = _date_field("收费通知日期")


class FeePaymentForm(forms.Form):
    paid_on = _date_field("缴费日期")


class FeeLapseForm(forms.Form):
    on = _date_field("逾期未缴费处理日期")


def _fee_lapsed(application: Application) -> bool:
    """Offered only once the payment period of the open notice is over."""
    if not can_proceed(application.close_for_unpaid_fee):
        return False
    notice = fees.open_fee_notice(application)
    return notice is not None and timezone.localdate() > notice.due_on


# 信息处理费 (条例第四十二条): the services are in cases/fees.py.
STEPS.update({step.key: step for step in [
    Step("issue_fee_notice", "发出收费通知", FeeNoticeForm, _service(fees.application_issue_fee_notice),
         _fsm("issue_fee_notice")),
    Step("record_fee_payment", "登记已缴费", FeePaymentForm, _service(fees.application_record_fee_payment),
         _fsm("receive_fee")),
    Step("close_unpaid_fee", "逾期未缴费，不再处理", FeeLapseForm, _service(fees.application_close_unpaid_fee),
         _fee_lapsed),
]})


def steps_available(application: Application, user) -> list[Step]:
    """Exactly the steps ``user`` may take on ``application`` now."""
    return [step for step in STEPS.values()
            if step.possible(application) and user.has_perm(step_permission(step.key), application)]
