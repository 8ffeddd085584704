"""Forms of the supervision pages; the services check everything again."""

from __future__ import annotations

from django import forms

from gongkai.web.cases.models import Application
from gongkai.web.disclosure.models import Publication
from gongkai.web.staff.registers import SheetFileField
from gongkai.web.staff.service_forms import date_field

from .models import CheckinItem, OfficeSettings

EVIDENCE_CHOICES = 100  # the unit's latest records offered as evidence


class RosterImportForm(forms.Form):
    file = SheetFileField(label="名册文件（CSV 或 XLSX）")  # the same limits as every sheet import


class ItemForm(forms.Form):
    text = forms.CharField(label="打卡事项", max_length=200, error_messages={"required": "请填写打卡事项"})
    kind = forms.ChoiceField(label="类型", choices=CheckinItem.Kind.choices, initial=CheckinItem.Kind.YES_NO,
                             error_messages={"invalid_choice": "类型无效"})


class DeadlineForm(forms.Form):
    weekday = forms.TypedChoiceField(label="每周截止日", coerce=int, choices=OfficeSettings.Weekday.choices,
                                     error_messages={"invalid_choice": "截止日无效"})
    due_time = forms.TimeField(label="截止时间（时:分）", widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
                               error_messages={"required": "请填写截止时间", "invalid": "时间格式应为 时:分，如 17:00"})


ANSWER_CHOICES = [("yes", "是"), ("no", "否")]


class CheckinForm(forms.Form):
    """One group of fields per active item: 是/否 (for a yes/no item), 说明, evidence from the unit's records."""

    def __init__(self, *args, items, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        publications = Publication.objects.filter(agency=agency).order_by("-pk")
        applications = Application.objects.filter(agency=agency).order_by("-pk")
        publication_ids = list(publications.values_list("pk", flat=True)[:EVIDENCE_CHOICES])
        application_ids = list(applications.values_list("pk", flat=True)[:EVIDENCE_CHOICES])
        for item in self.items:
            key = f"item_{item.pk}"
            if item.kind == CheckinItem.Kind.YES_NO:
                self.fields[key] = forms.ChoiceField(label=item.text, choices=ANSWER_CHOICES, widget=forms.RadioSelect,
                                                     error_messages={"required": f"请回答「{item.text}」"})
            self.fields[f"{key}_note"] = forms.CharField(label=f"{item.text}：说明", required=False, max_length=2000,
                                                         widget=forms.Textarea(attrs={"rows": 2}))
            self.fields[f"{key}_publications"] = forms.ModelMultipleChoiceField(
                label=f"{item.text}：佐证（主动公开）", required=False,
                queryset=Publication.objects.filter(pk__in=publication_ids).order_by("-pk"),
                error_messages={"invalid_choice": "不是本单位的主动公开记录", "invalid_pk_value": "记录编号无效"})
            self.fields[f"{key}_applications"] = forms.ModelMultipleChoiceField(
                label=f"{item.text}：佐证（依申请）", required=False,
                queryset=Application.objects.filter(pk__in=application_ids).order_by("-pk"),
                error_messages={"invalid_choice": "不是本单位的依申请记录", "invalid_pk_value": "记录编号无效"})
            self.fields[f"{key}_applications"].label_from_instance = lambda a: a.number

    def item_groups(self):
        """For the template: each item with its bound fields."""
        groups = []
        for item in self.items:
            key = f"item_{item.pk}"
            groups.append({"item": item, "fields": [self[name] for name in
                                                    (key, f"{key}_note", f"{key}_publications", f"{key}_applications")
                                                    if name in self.fields]})
        return groups


class InspectionSettingsForm(forms.Form):
    stale_days = forms.IntegerField(label="专栏未更新天数", min_value=1, max_value=3650,
                                    error_messages={"required": "请填写天数", "invalid": "应为整数",
                                                    "min_value": "至少 1 天", "max_value": "不能超过 3650 天"})
    rectification_days = forms.IntegerField(label="整改期限（天）", min_value=1, max_value=365,
                                            error_messages={"required": "请填写天数", "invalid": "应为整数",
                                                            "min_value": "至少 1 天", "max_value": "不能超过 365 天"})


class ManualFindingForm(forms.Form):
    agency = forms.ModelChoiceField(label="单位", queryset=None, empty_label=None,
                                    error_messages={"required": "请选择单位", "invalid_choice": "该单位不在本机构监督范围内"})
    description = forms.CharField(label="发现的问题", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                                  error_messages={"required": "请填写发现的问题"})
    due_on = date_field("整改期限（留空则按设置的天数）", required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = units


class ReplyForm(forms.Form):
    reply = forms.CharField(label="整改情况", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
                            error_messages={"required": "请填写整改情况"})
    publications = forms.ModelMultipleChoiceField(
        label="佐证（本单位的主动公开信息）", required=False, queryset=None,
        error_messages={"invalid_choice": "不是本单位的主动公开记录", "invalid_pk_value": "记录编号无效"})

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        ids = list(Publication.objects.filter(agency=agency).order_by("-pk").values_list("pk", flat=True)
                   [:EVIDENCE_CHOICES])
        self.fields["publications"].queryset = Publication.objects.filter(pk__in=ids).order_by("-pk")


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label="审核结果", choices=[("accept", "整改通过"), ("return", "退回重新整改")],
                                 widget=forms.RadioSelect, error_messages={"required": "请选择审核结果"})
    comment = forms.CharField(label="审核意见（退回时必填）", required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))
    due_on = date_field("新的整改期限（退回时可填）", required=False)


# ---------------------------------------------------------------- 年度报告报送


class FilingForm(forms.Form):
    """The report as a file, or the address where it is published (one of the two)."""

    file = forms.FileField(label="年度报告文件（PDF、DOCX、DOC、HTML、TXT、图片等）", required=False)
    url = forms.CharField(label="或：报告的网址", required=False, max_length=500)

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("url") or "").strip():
            raise forms.ValidationError("请选择文件，或填写报告的网址")
        if data.get("file") and (data.get("url") or "").strip():
            raise forms.ValidationError("文件和网址只填一项")
        return data


class FilingReviewForm(forms.Form):
    decision = forms.ChoiceField(label="审核结果", choices=[("pass", "审核通过"), ("return", "退回修改")],
                                 widget=forms.RadioSelect, error_messages={"required": "请选择审核结果"})
    comment = forms.CharField(label="审核意见（退回时必填）", required=False, max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 3}))
