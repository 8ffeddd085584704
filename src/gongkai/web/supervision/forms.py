"""Forms of the supervision pages; the services check everything again."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError

from gongkai.web.cases.models import Application
from gongkai.web.disclosure.models import Publication
from gongkai.web.staff.registers import MAX_UPLOAD_BYTES, UPLOAD_SUFFIXES  # one limit for every sheet import

from .models import CheckinItem, CheckinSettings

EVIDENCE_CHOICES = 100  # the unit's latest records offered as evidence


class RosterImportForm(forms.Form):
    file = forms.FileField(label="名册文件（CSV 或 XLSX）", error_messages={"required": "请选择文件"})

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(f"文件超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB")
        if Path(upload.name).suffix.lower() not in UPLOAD_SUFFIXES:
            raise ValidationError("只能导入 .csv 或 .xlsx 文件")
        return upload


class ItemForm(forms.Form):
    text = forms.CharField(label="打卡事项", max_length=200, error_messages={"required": "请填写打卡事项"})
    kind = forms.ChoiceField(label="类型", choices=CheckinItem.Kind.choices, initial=CheckinItem.Kind.YES_NO,
                             error_messages={"invalid_choice": "类型无效"})


class DeadlineForm(forms.Form):
    weekday = forms.TypedChoiceField(label="每周截止日", coerce=int, choices=CheckinSettings.Weekday.choices,
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
