"""The office's roll-up pages: the summed tables in the official layout, the units behind a cell, downloads,
and the roster option 「报告含下级单位数据」.

Which office: ``views._office`` (the user's 主管部门 role); which units and reports: ``rollup.office_rollup``
through the one gate.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.views.decorators.http import require_POST

from gongkai.report import taxonomy as tx
from gongkai.report.rollup import summed_cells
from gongkai.report.write import render as render_report
from gongkai.report.write.layout import (
    appeals_grid,
    applications_grid,
    cell_text,
    format_number,
    proactive_grid,
    value_at,
)
from gongkai.web.annual.downloads import DOWNLOAD_FORMATS
from gongkai.web.query import id_from
from gongkai.web.query import year_from as typed_year
from gongkai.web.staff.annual import SEVERITY_LABELS, ShownCell

from . import services
from .rollup import OfficeRollUp, office_rollup
from .selectors import unit_agencies
from .views import LOGIN_URL, _office


def year_from(text: str | None) -> int:
    """The year asked for, last year by default, kept within the years reports exist for."""
    this_year = timezone.localdate().year
    return typed_year(text, lowest=tx.FIRST_YEAR_OF_2019_FORMAT, highest=this_year, default=this_year - 1)


def _query(office, year: int, known_only: bool) -> str:
    return urlencode({"office": office.pk, "year": year, **({"known": 1} if known_only else {})})


def _rollup(request) -> tuple[OfficeRollUp, list, bool]:
    office, offices = _office(request)
    known_only = request.GET.get("known") == "1"
    result = office_rollup(request.user, office, year_from(request.GET.get("year")), known_only=known_only)
    return result, offices, known_only


def _shown_tables(result: OfficeRollUp, query: str) -> dict[str, dict]:
    report = result.report
    cells = set(summed_cells(report))

    def shown(cell) -> ShownCell:
        url = ""
        if cell.source in cells and result.rolled.behind(cell.source):
            url = f"{reverse('supervision:rollup_cell', args=cell.source)}?{query}"
        return ShownCell(cell, cell_text(report, cell), url)

    tables = {}
    for grid in (proactive_grid(report.format), applications_grid(report.format, report.single_other), appeals_grid()):
        rows = [[shown(cell) for cell in row] for row in grid.rows]
        tables[grid.key] = {"key": grid.key, "head": rows[:grid.header_rows], "body": rows[grid.header_rows:]}
    return tables


@login_required(login_url=LOGIN_URL)
def rollup(request):
    result, offices, known_only = _rollup(request)
    query = _query(result.office, result.year, known_only)
    tables = _shown_tables(result, query)
    units = []
    for unit in result.units:
        row = result.rows[unit.key]
        covered_by = next((a for u, a in result.rolled.covered if u.key == unit.key), None)
        units.append({"unit": unit, "row": row, "report": result.reports.get(unit.key), "covered_by": covered_by,
                      "has_children": result.unit_has_children(unit.key),
                      "state": "计入汇总" if unit in result.rolled.summed else
                               (f"已含在「{covered_by.name}」的报告中" if covered_by else "没有本年度报告，未计入")})
    this_year = timezone.localdate().year
    return render(request, "supervision/rollup.html", {
        "office": result.office, "offices": offices, "year": result.year, "known_only": known_only,
        "years": range(this_year, tx.FIRST_YEAR_OF_2019_FORMAT - 1, -1), "query": query,
        "tables": tables, "units": units, "summed": len(result.rolled.summed), "missing": result.rolled.missing,
        "issues": [(issue, SEVERITY_LABELS.get(issue.severity, issue.severity)) for issue in result.issues],
        "parent_issues": result.parent_issues, "formats": list(DOWNLOAD_FORMATS),
        "proactive_key": "proactive" if result.report.format == "2021" else "proactive_2019"})


@login_required(login_url=LOGIN_URL)
def rollup_cell(request, table: str, row: str, column: str):
    """The units behind one summed cell: each unit's value, linked to its report."""
    result, offices, known_only = _rollup(request)
    source = (table, row, column)
    if source not in set(summed_cells(result.report)):
        raise Http404("该单元格不在本年度汇总表中")
    behind = [{"unit": unit, "value": value, "text": format_number(value), "report": result.reports[unit.key]}
              for unit, value in result.rolled.behind(source)]
    return render(request, "supervision/rollup_cell.html", {
        "office": result.office, "offices": offices, "year": result.year, "known_only": known_only,
        "query": _query(result.office, result.year, known_only), "label": tx.where_label(".".join(source)),
        "total": format_number(value_at(result.report, source)), "behind": behind,
        "issues": [issue for issue in result.issues if issue.where == ".".join(source)]})


@login_required(login_url=LOGIN_URL)
def rollup_download(request, fmt: str):
    if fmt not in DOWNLOAD_FORMATS:
        raise Http404("不支持的下载格式")
    result, _, _ = _rollup(request)
    # The issues go into the document: a blank summed cell is explained beside the tables.
    content = render_report(result.report, fmt, include_issues=True)
    response = HttpResponse(content, content_type=DOWNLOAD_FORMATS[fmt])
    filename = f"{result.office.full_name}{result.year}年政府信息公开工作年度报告汇总.{fmt}"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@require_POST
@login_required(login_url=LOGIN_URL)
def rollup_covers(request):
    """The roster option: this unit's report already includes its lower units' figures (or not)."""
    office, _ = _office(request)
    agency = get_object_or_404(unit_agencies(office), pk=id_from(request.POST.get("agency")) or 0)
    covers = request.POST.get("reports_subtree") == "1"
    services.roster_unit_set_reports_subtree(office=office, agency=agency, acting_user=request.user,
                                             reports_subtree=covers)
    messages.success(request, f"「{agency.full_name}」{'的报告含下级单位数据' if covers else '的报告只含本单位数据'}")
    return redirect(f"{reverse('supervision:rollup')}?{_query(office, year_from(request.POST.get('year')), False)}")
