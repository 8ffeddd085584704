"""Staff pages of the annual report: list, a version with its tables, checks and texts, the workflow
steps, the records behind every number, and downloads.

Views stay thin: the gate is ``records_visible_to`` (another agency's report is a 404), the
services check the roles again, and which buttons show comes from the same ``rules.may``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from gongkai.report import taxonomy as tx
from gongkai.report.model import AnnualReport
from gongkai.report.write.layout import Cell, Grid, appeals_grid, applications_grid, cell_text, proactive_grid, value_at
from gongkai.web.agencies.models import Membership
from gongkai.web.agencies.selectors import agencies_visible_to, users_holding
from gongkai.web.annual import services as s
from gongkai.web.annual.build import annual_build, cell_has_records
from gongkai.web.annual.downloads import DOWNLOAD_FORMATS, record_file
from gongkai.web.annual.models import AnnualReportRecord
from gongkai.web.annual.rules import ACTION_ROLES, four_eyes_refusal, may, may_on, writers_of
from gongkai.web.annual.selectors import (
    annual_overview,
    latest_version,
    previous_published,
    record_checks,
    records_visible_to,
)
from gongkai.web.appeals.models import Appeal
from gongkai.web.cases.selectors import cases_visible_to
from gongkai.web.registers.models import RegulatoryDocument

from .views import LOGIN_URL
from .waiting import waiting_for

State = AnnualReportRecord.State
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}


# ---------------------------------------------------------------- forms


class CreateForm(forms.Form):
    agency = forms.ModelChoiceField(label="机构", queryset=None, empty_label=None,
                                    error_messages={"required": "请选择机构", "invalid_choice": "不能为该机构编写年度报告"})
    year = forms.IntegerField(label="年度", min_value=tx.FIRST_YEAR_OF_2019_FORMAT,
                              error_messages={"required": "请填写年度", "invalid": "年度应为数字",
                                              "min_value": f"年度不能早于{tx.FIRST_YEAR_OF_2019_FORMAT}年"})

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class SectionsForm(forms.Form):
    overview = forms.CharField(label="一、总体情况", required=False, max_length=s.SECTION_MAX_LENGTH,
                               widget=forms.Textarea(attrs={"rows": 10}))
    problems = forms.CharField(label="五、存在的主要问题及改进情况", required=False, max_length=s.SECTION_MAX_LENGTH,
                               widget=forms.Textarea(attrs={"rows": 6}))
    other = forms.CharField(label="六、其他需要报告的事项", required=False, max_length=s.SECTION_MAX_LENGTH,
                            widget=forms.Textarea(attrs={"rows": 4}))


class CommentForm(forms.Form):
    comment = forms.CharField(label="说明", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class ReturnForm(forms.Form):
    comment = forms.CharField(label="退回理由", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
                              error_messages={"required": "请填写退回理由"})


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    state: str  # the state the version must be in
    form: type[forms.Form] | None
    run: object  # run(record, acting_user, comment) -> the record to show next


STEPS = {step.key: step for step in [
    Step("refresh", "从数据刷新（生成新版本）", State.DRAFT, None,
         lambda r, u, c: s.annual_report_record_refresh(record=r, acting_user=u)),
    Step("submit", "提交审核", State.DRAFT, None, lambda r, u, c: s.annual_report_record_submit(record=r, acting_user=u)),
    Step("approve", "审核通过", State.IN_REVIEW, CommentForm,
         lambda r, u, c: s.annual_report_record_approve(record=r, acting_user=u, comment=c)),
    Step("return", "退回修改", State.IN_REVIEW, ReturnForm,
         lambda r, u, c: s.annual_report_record_return(record=r, acting_user=u, comment=c)),
    Step("publish", "签发发布", State.APPROVED, None,
         lambda r, u, c: s.annual_report_record_publish(record=r, acting_user=u)),
    Step("correct", "更正（生成新版本）", State.PUBLISHED, CommentForm,
         lambda r, u, c: s.annual_report_record_correct(record=r, acting_user=u, comment=c)),
]}


# The step a version in each state waits for (the others are offered beside it).
NEXT_STEP = {State.DRAFT: "submit", State.IN_REVIEW: "approve", State.APPROVED: "publish"}


def _record(request, pk: int) -> AnnualReportRecord:
    return get_object_or_404(records_visible_to(request.user).select_related("agency"), pk=pk)


# ---------------------------------------------------------------- list and create


@login_required(login_url=LOGIN_URL)
def annual_list(request):
    records = records_visible_to(request.user).select_related("agency").order_by("agency__full_name", "-year", "-version")
    writable = agencies_visible_to(request.user).order_by("full_name")
    writable_ids = [agency.pk for agency in writable if may(request.user, "create", agency)]
    form = None
    if writable_ids:
        form = CreateForm(agencies=writable.filter(pk__in=writable_ids), prefix="create",
                          initial={"year": timezone.localdate().year - 1})
    groups: dict = {}
    for record in records:
        groups.setdefault(record.agency, []).append(record)
    return render(request, "staff/annual_list.html", {"groups": groups, "form": form})


@login_required(login_url=LOGIN_URL)
def annual_overview_page(request):
    """Every visible agency's report of a year: a supervising office sees who has published, and the checks."""
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year - 1))
    except ValueError:
        year = this_year - 1
    year = min(max(year, tx.FIRST_YEAR_OF_2019_FORMAT), this_year)
    statuses = annual_overview(request.user, year)
    return render(request, "staff/annual_overview.html", {
        "year": year, "years": range(this_year, tx.FIRST_YEAR_OF_2019_FORMAT - 1, -1), "statuses": statuses,
        "published": sum(status.published is not None for status in statuses),
        "with_errors": sum(status.errors > 0 for status in statuses)})


@require_POST
@login_required(login_url=LOGIN_URL)
def annual_create(request):
    form = CreateForm(request.POST, agencies=agencies_visible_to(request.user), prefix="create")
    if not form.is_valid():
        errors = "；".join(error for field_errors in form.errors.values() for error in field_errors)
        messages.error(request, f"未能生成草稿：{errors}")
        return redirect("staff:annual_list")
    try:
        record = s.annual_report_record_create(agency=form.cleaned_data["agency"], year=form.cleaned_data["year"],
                                               acting_user=request.user)
    except ValidationError as error:
        messages.error(request, f"未能生成草稿：{'；'.join(error.messages)}")
        return redirect("staff:annual_list")
    messages.success(request, f"已生成{record.year}年度报告第{record.version}版草稿")
    return redirect("staff:annual_detail", pk=record.pk)


# ---------------------------------------------------------------- one version


@dataclass(frozen=True)
class ShownCell:
    cell: Cell
    text: str
    url: str


def _shown_table(record: AnnualReportRecord, report: AnnualReport, grid: Grid) -> dict:
    """A grid of the official layout, every non-zero counted cell linking to the records behind it."""
    def shown(cell: Cell) -> ShownCell:
        url = ""
        if cell.source is not None and cell_has_records(*cell.source) and (value_at(report, cell.source) or 0) > 0:
            url = reverse("staff:annual_cell", args=[record.pk, *cell.source])
        return ShownCell(cell, cell_text(report, cell), url)

    rows = [[shown(cell) for cell in row] for row in grid.rows]
    return {"key": grid.key, "head": rows[:grid.header_rows], "body": rows[grid.header_rows:]}


def _tables(record: AnnualReportRecord, report: AnnualReport) -> dict[str, dict]:
    return {
        "proactive": _shown_table(record, report, proactive_grid(report.format)),
        "applications": _shown_table(record, report, applications_grid(report.format, report.single_other)),
        "appeals": _shown_table(record, report, appeals_grid()),
    }


def _steps(record: AnnualReportRecord, user, is_latest: bool) -> list[tuple[Step, forms.Form | None]]:
    if not is_latest:
        return []
    # Step keys are the actions of annual/rules.py.
    return [(step, step.form(prefix=step.key) if step.form else None) for step in STEPS.values()
            if step.state == record.state and may_on(user, step.key, record)]


def _refusals(record: AnnualReportRecord, user, is_latest: bool) -> list[str]:
    """Why a step the user's role allows is not offered (four eyes), in Chinese."""
    if not is_latest:
        return []
    return [refusal for step in STEPS.values() if step.state == record.state and may(user, step.key, record.agency)
            and (refusal := four_eyes_refusal(user, step.key, record))]


def _waiting(record: AnnualReportRecord, is_latest: bool):
    key = NEXT_STEP.get(record.state) if is_latest else None
    if key is None:
        return None
    roles = ACTION_ROLES[key]
    return waiting_for(STEPS[key].label, "或".join(Membership.Role(role).label for role in roles),
                       users_holding(record.agency, roles), writers_of(record) if key != "submit" else set())


@login_required(login_url=LOGIN_URL)
def annual_detail(request, pk: int):
    record = _record(request, pk)
    report = AnnualReport.from_json(record.snapshot)
    is_latest = record.version == latest_version(record.agency, record.year)
    editable = is_latest and record.is_editable and may(request.user, "edit", record.agency)
    sections = record.snapshot.get("sections") or {}
    issues = record_checks(record)
    previous = previous_published(record)
    return render(request, "staff/annual_detail.html", {
        "record": record, "report": report, "is_latest": is_latest,
        "tables": _tables(record, report),
        "sections": [(tx.SECTIONS[key], sections.get(key) or "") for key in tx.PROSE_SECTIONS],
        "form": SectionsForm(initial=sections) if editable else None,
        "issues": [(issue, SEVERITY_LABELS.get(issue.severity, issue.severity)) for issue in issues],
        "has_errors": any(issue.severity == "error" for issue in issues),
        "previous": previous,
        "steps": _steps(record, request.user, is_latest),
        "refusals": _refusals(record, request.user, is_latest),
        "waiting": _waiting(record, is_latest),
        "blockers": s.publication_blockers(record) if is_latest and not record.is_locked else [],
        "versions": AnnualReportRecord.objects.filter(agency=record.agency, year=record.year).order_by("-version"),
        "events": record.events.select_related("acting_user"),
        "formats": list(DOWNLOAD_FORMATS),
    })


@require_POST
@login_required(login_url=LOGIN_URL)
def annual_sections(request, pk: int):
    record = _record(request, pk)
    form = SectionsForm(request.POST)
    if not form.is_valid():
        errors = "；".join(error for field_errors in form.errors.values() for error in field_errors)
        messages.error(request, f"正文未保存：{errors}")
        return redirect("staff:annual_detail", pk=pk)
    try:
        s.annual_report_record_save_sections(record=record, acting_user=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, f"正文未保存：{'；'.join(error.messages)}")
    else:
        messages.success(request, "正文已保存")
    return redirect("staff:annual_detail", pk=pk)


@require_POST
@login_required(login_url=LOGIN_URL)
def annual_step(request, pk: int, step: str):
    """One workflow step; the service checks role, state and version again (PermissionDenied → 403)."""
    record = _record(request, pk)
    if step not in STEPS:
        raise Http404("没有这个操作")
    definition = STEPS[step]
    comment = ""
    if definition.form is not None:
        form = definition.form(request.POST, prefix=step)
        if not form.is_valid():
            errors = "；".join(error for field_errors in form.errors.values() for error in field_errors)
            messages.error(request, f"{definition.label}未完成：{errors}")
            return redirect("staff:annual_detail", pk=pk)
        comment = form.cleaned_data["comment"]
    try:
        shown = definition.run(record, request.user, comment)
    except ValidationError as error:
        messages.error(request, f"{definition.label}未完成：{'；'.join(error.messages)}")
        return redirect("staff:annual_detail", pk=pk)
    messages.success(request, f"已完成：{definition.label}（第{shown.version}版，{shown.get_state_display()}）")
    return redirect("staff:annual_detail", pk=shown.pk)


# ---------------------------------------------------------------- the records behind a number


@login_required(login_url=LOGIN_URL)
def annual_cell(request, pk: int, table: str, row: str, column: str):
    record = _record(request, pk)
    if not cell_has_records(table, row, column):
        raise Http404("该单元格不是由办理记录统计的")
    build = annual_build(record.agency, record.year)
    try:
        ids = build.ids(table, row, column)
    except KeyError:
        raise Http404("该单元格不在本年度报告的表格中") from None
    stored = value_at(AnnualReport.from_json(record.snapshot), (table, row, column))
    context = {"record": record, "table": table, "label": tx.cell_label(table, row, column),
               "stored": stored, "current": len(ids), "changed": stored != len(ids)}
    if table == "applications":
        found = {a.number: a for a in cases_visible_to(request.user).filter(agency=record.agency, number__in=ids)}
        context["applications"] = [found[number] for number in ids if number in found]
    elif table == "appeals":
        context["appeals"] = (Appeal.objects.filter(agency=record.agency, pk__in=ids).select_related("application")
                              .order_by("filed_on", "pk"))
    else:
        context["documents"] = RegulatoryDocument.objects.filter(agency=record.agency, pk__in=ids).order_by("issued_on", "pk")
    return render(request, "staff/annual_cell.html", context)


# ---------------------------------------------------------------- downloads


@login_required(login_url=LOGIN_URL)
def annual_download(request, pk: int, fmt: str):
    record = _record(request, pk)
    if fmt not in DOWNLOAD_FORMATS:
        raise Http404("不支持的下载格式")
    file = record_file(record, fmt)
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = content_disposition_header(True, file.filename)
    return response
