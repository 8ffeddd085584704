"""Staff pages for the inputs of table 二: the register of 规章 / 行政规范性文件, yearly figures, import.

Reads go through ``agencies_visible_to`` (a supervisor sees its subtree, read-only);
changes go through ``registers.services``, which checks the role again.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from gongkai.ledger.errors import row_errors_first
from gongkai.web.agencies.selectors import agencies_visible_to
from gongkai.web.registers import services
from gongkai.web.registers.importing import (
    DOCUMENT_COLUMNS,
    DOCUMENTS,
    FIGURE_COLUMNS,
    FIGURES,
    RegisterHasErrors,
    UnreadableRegister,
)
from gongkai.web.registers.models import RegulatoryDocument, YearlyFigures

from .service_forms import add_service_errors, date_field

LOGIN_URL = "staff:login"
PAGE_SIZE = 50
MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # a register of thousands of rows is well under 1 MB
UPLOAD_SUFFIXES = (".csv", ".xlsx", ".txt")


def _editable_agencies(user):
    return [agency for agency in agencies_visible_to(user) if services.register_may_edit(user, agency)]


def _require_editable(user, agency) -> None:
    if not services.register_may_edit(user, agency):
        raise PermissionDenied("您在该机构没有修改表二登记簿的岗位")


class AgencyChoiceForm(forms.Form):
    agency = forms.TypedChoiceField(label="机构", coerce=int,
                                    error_messages={"required": "请选择机构", "invalid_choice": "机构无效"})

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.agencies = {agency.pk: agency for agency in agencies}
        self.fields["agency"].choices = [(a.pk, a.full_name) for a in agencies]

    def chosen_agency(self):
        return self.agencies[self.cleaned_data["agency"]]


class DocumentFields(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=RegulatoryDocument.Kind.choices,
                             error_messages={"required": "请选择类别", "invalid_choice": "类别无效"})
    title = forms.CharField(label="名称", max_length=300, error_messages={"required": "请填写名称"})
    document_number = forms.CharField(label="文号", max_length=100, required=False)
    issued_on = date_field("制发日期")
    repealed_on = date_field("废止日期（仍有效则留空）", required=False)


class DocumentCreateForm(AgencyChoiceForm, DocumentFields):
    pass


class RepealForm(forms.Form):
    repealed_on = date_field("废止日期")


class FiguresForm(AgencyChoiceForm):
    year = forms.IntegerField(label="年度", min_value=2008, error_messages={"required": "请填写年度",
                                                                         "min_value": "年度不能早于 2008 年"})
    licensing_decisions = forms.IntegerField(label="行政许可本年处理决定数量", min_value=0, required=False,
                                             error_messages={"min_value": "不能为负数"})
    penalty_decisions = forms.IntegerField(label="行政处罚本年处理决定数量", min_value=0, required=False,
                                           error_messages={"min_value": "不能为负数"})
    coercion_decisions = forms.IntegerField(label="行政强制本年处理决定数量", min_value=0, required=False,
                                            error_messages={"min_value": "不能为负数"})
    fees_amount_10k_yuan = forms.DecimalField(label="行政事业性收费本年收费金额（万元）", min_value=0, required=False,
                                              max_digits=14, decimal_places=4,
                                              error_messages={"min_value": "不能为负数", "invalid": "应为数字"})


class SheetFileField(forms.FileField):
    """A CSV or XLSX upload for an import page, refused in Chinese when too large or of another kind."""

    def __init__(self, *, label="文件（CSV 或 XLSX）", **kwargs):
        super().__init__(label=label, error_messages={"required": "请选择文件"}, **kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(f"文件超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB")
        if Path(upload.name).suffix.lower() not in UPLOAD_SUFFIXES:
            raise ValidationError("只能导入 .csv 或 .xlsx 文件")
        return upload


class ImportForm(AgencyChoiceForm):
    kind = forms.ChoiceField(label="文件内容", choices=[(DOCUMENTS, "规章和行政规范性文件"), (FIGURES, "年度数据")],
                             widget=forms.RadioSelect, initial=DOCUMENTS)
    file = SheetFileField()


# ---------------------------------------------------------------- documents


@login_required(login_url=LOGIN_URL)
def document_list(request):
    documents = (RegulatoryDocument.objects.filter(agency__in=agencies_visible_to(request.user))
                 .select_related("agency", "publication").order_by("-issued_on", "-pk"))
    kind = request.GET.get("kind", "")
    if kind in RegulatoryDocument.Kind.values:
        documents = documents.filter(kind=kind)
    else:
        kind = ""
    page = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "staff/register_documents.html", {
        "page": page, "kind": kind, "kinds": RegulatoryDocument.Kind.choices,
        "may_edit": bool(_editable_agencies(request.user))})


@login_required(login_url=LOGIN_URL)
def document_create(request):
    agencies = _editable_agencies(request.user)
    if not agencies:
        raise PermissionDenied("您没有修改表二登记簿的岗位")
    form = DocumentCreateForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("agency")
        try:
            document = services.regulatory_document_create(agency=form.chosen_agency(), acting_user=request.user,
                                                           **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"已登记：{document.title}")
            return redirect("staff:register_documents")
    return render(request, "staff/register_document_form.html", {"form": form, "document": None},
                  status=400 if request.method == "POST" else 200)


@login_required(login_url=LOGIN_URL)
def document_edit(request, pk: int):
    document = get_object_or_404(RegulatoryDocument.objects.filter(agency__in=agencies_visible_to(request.user))
                                 .select_related("agency", "publication"), pk=pk)
    may_edit = services.register_may_edit(request.user, document.agency) and not document.publication_id
    form = DocumentFields(initial={name: getattr(document, name) for name in services.DOCUMENT_FIELDS})
    repeal_form = RepealForm(prefix="repeal")
    status = 200
    if request.method == "POST":
        _require_editable(request.user, document.agency)
        repealing = "repeal-repealed_on" in request.POST
        bound = RepealForm(request.POST, prefix="repeal") if repealing else DocumentFields(request.POST)
        if bound.is_valid():
            try:
                if repealing:
                    services.regulatory_document_repeal(document=document, acting_user=request.user,
                                                        **bound.cleaned_data)
                else:
                    services.regulatory_document_update(document=document, acting_user=request.user,
                                                        **bound.cleaned_data)
            except ValidationError as error:
                add_service_errors(bound, error)
            else:
                messages.success(request, "已废止" if repealing else "已保存")
                return redirect("staff:register_document_edit", pk=pk)
        status = 400
        if repealing:
            repeal_form = bound
        else:
            form = bound
    history = document.history.select_related("history_user").order_by("-history_date", "-history_id")
    return render(request, "staff/register_document_form.html", {
        "form": form if may_edit else None, "repeal_form": repeal_form if may_edit and not document.repealed_on else None,
        "document": document, "history": history}, status=status)


# ---------------------------------------------------------------- yearly figures


@login_required(login_url=LOGIN_URL)
def figures_list(request):
    agencies = _editable_agencies(request.user)
    rows = (YearlyFigures.objects.filter(agency__in=agencies_visible_to(request.user))
            .select_related("agency").order_by("-year", "agency__full_name"))
    form = FiguresForm(request.POST or None, agencies=agencies,
                       initial={"year": timezone.localdate().year - 1})
    status = 200
    if request.method == "POST":
        if not agencies:
            raise PermissionDenied("您没有修改表二登记簿的岗位")
        if form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("agency")
            year = data.pop("year")
            try:
                services.yearly_figures_set(agency=form.chosen_agency(), acting_user=request.user, year=year, **data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"已保存 {form.chosen_agency()} {year} 年度数据")
                return redirect("staff:register_figures")
        status = 400
    return render(request, "staff/register_figures.html", {"rows": rows, "form": form if agencies else None},
                  status=status)


# ---------------------------------------------------------------- import


@login_required(login_url=LOGIN_URL)
def register_import(request):
    agencies = _editable_agencies(request.user)
    if not agencies:
        raise PermissionDenied("您没有修改表二登记簿的岗位")
    form = ImportForm(request.POST or None, request.FILES or None, agencies=agencies)
    row_errors, row_errors_more, status = [], 0, 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            suffix = Path(upload.name).suffix.lower()
            handle, path = tempfile.mkstemp(suffix=suffix)
            try:
                with os.fdopen(handle, "wb") as out:
                    for chunk in upload.chunks():
                        out.write(chunk)
                result = services.register_import(agency=form.chosen_agency(), acting_user=request.user, path=path,
                                                  kind=form.cleaned_data["kind"])
            except RegisterHasErrors as error:
                row_errors, row_errors_more = row_errors_first(error.errors)
                form.add_error(None, f"文件有 {len(error.errors)} 处错误，未导入任何一行。请改正后重新导入。")
            except UnreadableRegister as error:
                form.add_error("file", error.message)
            else:
                messages.success(request, f"已导入「{upload.name}」：{result}")
                target = "staff:register_documents" if form.cleaned_data["kind"] == DOCUMENTS else "staff:register_figures"
                return redirect(target)
            finally:
                Path(path).unlink(missing_ok=True)
    return render(request, "staff/register_import.html", {
        "form": form, "row_errors": row_errors, "row_errors_more": row_errors_more, "document_columns": DOCUMENT_COLUMNS,
        "figure_columns": FIGURE_COLUMNS}, status=status)
