"""The public forms; every message in Chinese."""

from __future__ import annotations

import re

from django import forms
from django.core import signing

from gongkai.web.agencies.models import Agency
from gongkai.web.cases.models import APPLICANT_TYPE_CHOICES
from gongkai.web.cases.selectors import applications_like

from .identifiers import credit_code_problem
from .models import PublicSubmission

TOKEN_SALT = "gongkai.public.application-form"
TOKEN_MAX_AGE = 24 * 3600

DELIVERY_FORMS = ["纸质（邮寄）", "电子邮件", "光盘（邮寄）", "当面领取"]
MAILED = {"纸质（邮寄）", "光盘（邮寄）"}

ID_CARD = re.compile(r"^\d{17}[\dX]$")
PHONE = re.compile(r"^[0-9+\-() ]{7,20}$")


def required(label: str) -> dict:
    return {"required": f"请填写{label}"}


def new_form_token() -> str:
    import secrets

    return signing.dumps(secrets.token_hex(16), salt=TOKEN_SALT)


class ApplicationForm(forms.Form):
    agency = forms.ModelChoiceField(
        label="受理机构", queryset=Agency.objects.order_by("full_name"), empty_label="请选择",
        error_messages={"required": "请选择受理机构", "invalid_choice": "所选受理机构不存在"})
    applicant_type = forms.ChoiceField(
        label="申请人类型", choices=APPLICANT_TYPE_CHOICES, widget=forms.RadioSelect,
        error_messages={"required": "请选择申请人类型", "invalid_choice": "所选申请人类型无效"})
    applicant_name = forms.CharField(label="姓名或名称", max_length=200, error_messages=required("姓名或名称"))
    applicant_id_number = forms.CharField(
        label="身份证件号码或统一社会信用代码", max_length=40, error_messages=required("身份证件号码或统一社会信用代码"))
    applicant_phone = forms.CharField(label="联系电话", max_length=20, error_messages=required("联系电话"))
    applicant_address = forms.CharField(label="通信地址", max_length=300, required=False)
    applicant_email = forms.EmailField(label="电子邮箱", required=False,
                                       error_messages={"invalid": "电子邮箱格式不正确"})
    information_sought = forms.CharField(
        label="所需政府信息的名称、文号或者便于查询的其他特征性描述", max_length=2000, widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=required("所需政府信息的描述"))
    purpose = forms.CharField(label="申请用途（选填）", max_length=500, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
    delivery_form = forms.ChoiceField(
        label="获取信息的方式", choices=[(d, d) for d in DELIVERY_FORMS], widget=forms.RadioSelect,
        error_messages={"required": "请选择获取信息的方式", "invalid_choice": "所选获取方式无效"})
    form_token = forms.CharField(widget=forms.HiddenInput, error_messages={"required": "表单已失效，请重新填写"})
    # Shown only after a warning that the same applicant already asked for the same information.
    confirm_repeat = forms.BooleanField(label="我已知晓，仍要再提交这件申请", required=False)

    def earlier_same_requests(self) -> list:
        """Applications this one repeats (see ``applications_like``); empty once the person confirmed."""
        data = self.cleaned_data
        if data.get("confirm_repeat"):
            return []
        earlier = applications_like(agency=data["agency"], applicant_id_number=data["applicant_id_number"],
                                    applicant_name=data["applicant_name"], information_sought=data["information_sought"])
        # This very form posted again registers nothing (``register_once``): that is no repeat to warn about.
        same_form = PublicSubmission.objects.filter(token=data["form_token"]).values_list("application_id", flat=True)
        return [a for a in earlier if a.pk not in set(same_form)]

    def clean_applicant_name(self):
        return self.cleaned_data["applicant_name"].strip()

    def clean_applicant_phone(self):
        phone = self.cleaned_data["applicant_phone"].strip()
        if not PHONE.match(phone):
            raise forms.ValidationError("联系电话格式不正确（7 至 20 位数字，可含 +、-、括号）")
        return phone

    def clean_form_token(self):
        try:
            return signing.loads(self.cleaned_data["form_token"], salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
        except signing.BadSignature:
            raise forms.ValidationError("表单已失效，请刷新页面后重新填写") from None

    def clean(self):
        data = super().clean()
        number = data.get("applicant_id_number", "").strip().upper()
        kind = data.get("applicant_type")
        if number and kind:
            if kind == "natural_person" and not ID_CARD.match(number):
                self.add_error("applicant_id_number", "公民身份号码应为 18 位（最后一位可为 X）")
            elif kind != "natural_person" and (problem := credit_code_problem(number)):
                self.add_error("applicant_id_number", problem)
            data["applicant_id_number"] = number
        delivery = data.get("delivery_form")
        if delivery in MAILED and not data.get("applicant_address", "").strip():
            self.add_error("applicant_address", "选择邮寄方式时请填写通信地址")
        if delivery == "电子邮件" and not data.get("applicant_email"):
            self.add_error("applicant_email", "选择电子邮件方式时请填写电子邮箱")
        return data


class ProgressForm(forms.Form):
    number = forms.CharField(label="申请编号", max_length=40, error_messages=required("申请编号"))
    query_code = forms.CharField(label="查询码", max_length=20, error_messages=required("查询码"))

    def clean_number(self):
        return self.cleaned_data["number"].strip().upper()
