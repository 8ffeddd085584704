"""/corpus/: every published annual report as one data set — tables, trends, distributions, drill-downs.

Every figure is a link to the reports behind it, and every rate carries its counts.  The numbers
come from ``gongkai.corpus.explore`` (pure DuckDB over the Parquet); the views only lay them out.
"""

from __future__ import annotations

from dataclasses import replace

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header

from gongkai.corpus import explore
from gongkai.corpus.flags import LABELS as FLAG_LABELS
from gongkai.report import taxonomy as tx
from gongkai.report.write.layout import appeals_grid, applications_grid, proactive_grid
from gongkai.web.charts.options import Point, Series, bar_chart, line_chart

from .access import corpus_public, explorer_view
from .corpus import CorpusMissing, corpus_dir, cursor, source_bytes
from .figures import figure_text, rate_text
from .filters import REPORT_ID, BadFilter, drill_down_from, query_string, selection_from

PAGE_SIZE = 100
# What the reader read (reports.kind), as people call it.
KIND_LABELS = {"text": "文本", "html": "网页", "docx": "Word 文档", "doc": "Word 97-2003 文档", "pdf": "PDF",
               "json": "JSON", "image": "图片"}
HEADLINES = (("new", "本年新收申请"), ("handled", "办结总计"), ("review", "行政复议"))


def _base(request) -> str:
    return "staff/base.html" if request.user.is_authenticated else "public/base.html"


def _page(request, template: str, context: dict, status: int = 200):
    return render(request, template, {"base": _base(request), "public": corpus_public(), **context}, status=status)


def _bad(request, error: BadFilter):
    return _page(request, "explorer/bad.html", {"message": str(error)}, status=400)


def _empty(request, reason: str):
    return _page(request, "explorer/empty.html", {"reason": reason, "corpus_dir": corpus_dir()})


def _percent(count, of) -> float | None:
    return round(100 * count / of, 1) if of else None


def _reports_url(selection, **extra) -> str:
    return f"{reverse('explorer:reports')}?{query_string(selection, **extra)}"


def _summed_grid(grid, figures: dict, selection) -> dict:
    """The official layout, each value cell the sum over the selection, linking to its reports."""
    rows = []
    for row in grid.rows:
        shown = []
        for cell in row:
            if cell.source is None:
                shown.append({"cell": cell, "text": cell.text})
                continue
            figure = figures.get(cell.source)
            if figure is None or not figure["stated"]:
                text, url, unstated = "—", "", figure["unstated"] if figure else 0
            else:
                text, unstated = figure_text(figure["sum"]), figure["unstated"]
                url = _reports_url(selection, cell=".".join(cell.source))
            if unstated and not url:
                url = _reports_url(selection, cell=".".join(cell.source))
            shown.append({"cell": cell, "text": text, "url": url, "unstated": unstated})
        rows.append(shown)
    return {"key": grid.key, "head": rows[:grid.header_rows], "body": rows[grid.header_rows:]}


@explorer_view
def corpus_index(request):
    try:
        selection = selection_from(request.GET)
        con = cursor()
    except BadFilter as error:
        return _bad(request, error)
    except CorpusMissing as missing:
        return _empty(request, str(missing))
    years = explore.years(con)
    known_years = [y["year"] for y in years if y["year"] is not None]
    year = selection.year if selection.year is not None else (known_years[0] if known_years else None)
    of_year = replace(selection, year=year)
    across_years = replace(selection, year=None)

    single_other = explore.has_single_other(con, of_year)
    figures = explore.table_figures(con, of_year, single_other)
    tables = {"applications": _summed_grid(applications_grid("2021", single_other), figures, of_year),
              "appeals": _summed_grid(appeals_grid(), figures, of_year)}

    trend = explore.totals_by_year(con, across_years)
    trend = [t for t in trend if t["year"] is not None]
    rates = {key: {r["year"]: r for r in explore.rate_by_year(con, across_years, key) if r["year"] is not None}
             for key in explore.RATES}
    trend_rows = []
    for t in trend:
        in_year = replace(across_years, year=t["year"])
        links = {name: _reports_url(in_year, cell=f"{cell}.total") for name, cell in (
            ("new", "applications.new"), ("handled", "applications.total"), ("review", "appeals.review"))}
        trend_rows.append({**t, "links": {**links, "reports": _reports_url(in_year)},
                           "rates": [(key, rates[key].get(t["year"]), _reports_url(in_year, rate=key))
                                     for key in explore.RATES]})
    categories = [str(t["year"]) for t in trend]
    charts = [
        line_chart("totals", "本年新收与办结总计（件）", categories, [
            Series(label, [Point(t[name], url=t["links"].get(name, "")) for t in trend_rows])
            for name, label in HEADLINES]),
        line_chart("rates", "予以公开率、部分公开率、不予公开率（%）", categories, [
            Series(label, [_rate_point(rates[key].get(t["year"]), replace(across_years, year=t["year"]), key)
                           for t in trend])
            for key, (label, _) in explore.RATES.items()], percent=True),
    ]
    histogram = explore.rate_histogram(con, of_year, "granted")
    bins = [{"label": f"{10 * b}%–{10 * (b + 1)}%", "reports": n,
             "url": _reports_url(of_year, rate="granted", bin=b)} for b, n in enumerate(histogram)]
    charts.append(bar_chart("histogram", f"{year or ''} 年度各报告（每个机构一份）予以公开率的分布（份）",
                            [b["label"] for b in bins], [Series("报告数", [Point(b["reports"], url=b["url"])
                                                                          for b in bins])]))
    grounds = [{"label": tx.outcome_short_label(key), "figure": figures.get(("applications", key, "total")),
                "url": _reports_url(of_year, cell=f"applications.{key}.total")}
               for key in explore.RATES["refused"][1]]
    charts.append(bar_chart("grounds", f"{year or ''} 年度不予公开的理由（件）", [g["label"] for g in grounds], [
        Series("件数", [Point(g["figure"]["sum"] if g["figure"] else None, url=g["url"]) for g in grounds])]))

    return _page(request, "explorer/index.html", {
        "selection": selection, "year": year, "years": years, "levels": explore.LEVELS, "flags": FLAG_LABELS,
        "report_count": explore.report_count(con, of_year), "reports_url": _reports_url(of_year),
        "tables": tables, "single_other": single_other, "trend": trend_rows, "rate_labels": explore.RATES,
        "charts": {c.slug: c for c in charts}, "bins": bins, "grounds": grounds,
        "regions": [{**r, "url": f"?{query_string(replace(selection, region=r['region']))}",
                     "reports_url": _reports_url(replace(of_year, region=r["region"]))}
                    for r in explore.regions(con, of_year)],
        "level_counts": [{**r, "label": explore.LEVELS.get(r["level"], "未知（无行政区划代码）"),
                          "url": _reports_url(replace(of_year, level=r["level"])) if r["level"] else ""}
                         for r in explore.levels(con, of_year)],
        "flag_counts": [{**f, "label": FLAG_LABELS.get(f["flag"], f["flag"]),
                         "url": _reports_url(replace(of_year, flag=f["flag"]))}
                        for f in explore.flag_counts(con, of_year)],
        "failures": explore.failures_count(con),
    })


def _rate_point(found, selection, rate) -> Point:
    if not found:
        return Point(None)
    return Point(_percent(found["count"], found["of"]), url=_reports_url(selection, rate=rate),
                 count=int(found["count"]), of=int(found["of"]))


@explorer_view
def corpus_reports(request):
    """The reports behind a figure: a cell's sum, a rate's counts (or one bar of its histogram), a count."""
    try:
        selection = selection_from(request.GET)
        drill = drill_down_from(request.GET)
        con = cursor()
    except BadFilter as error:
        return _bad(request, error)
    except CorpusMissing as missing:
        return _empty(request, str(missing))
    context = {"selection": selection, "back": f"{reverse('explorer:index')}?{query_string(selection)}",
               "levels": explore.LEVELS, "flags": FLAG_LABELS}
    if drill.cell:
        table, row, column = drill.cell
        single_other = explore.has_single_other(con, selection)
        rows = explore.cell_reports(con, selection, single_other, table, row, column)
        stated = [r for r in rows if r["stated"]]
        context.update(kind="cell", title=tx.cell_label(table, row, column),
                       total=sum(r["value"] or 0 for r in stated), stated=len(stated),
                       unstated=len(rows) - len(stated))
    elif drill.rate:
        label, _ = explore.RATES[drill.rate]
        rows = explore.rate_reports(con, selection, drill.rate, drill.bin)
        count, of = sum(r["count"] for r in rows), sum(r["of"] for r in rows)
        for r in rows:
            r["rate_text"] = rate_text(r["count"], r["of"])
        span = "" if drill.bin is None else f"（{10 * drill.bin}%–{10 * (drill.bin + 1)}% 的报告）"
        context.update(kind="rate", title=label + span, rate_text=rate_text(count, of), count=count, of=of)
    else:  # a plain list may be the whole corpus: only its page is fetched
        count = explore.report_count(con, selection)
        page = min(drill.page, max(1, -(-count // PAGE_SIZE)))
        rows = explore.report_list(con, selection, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        context.update(kind="list", title="报告")
        return _listing(request, context, rows, count, page, offset=(page - 1) * PAGE_SIZE)
    return _listing(request, context, rows, len(rows), drill.page)


def _listing(request, context: dict, rows: list, count: int, page: int, offset: int | None = None):
    pages = max(1, -(-count // PAGE_SIZE))
    page = min(page, pages)
    shown = rows if offset is not None else rows[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]
    context.update(rows=shown, count_rows=count, page=page, pages=pages, page_links=_page_links(request, page, pages))
    return _page(request, "explorer/reports.html", context)


def _page_links(request, page: int, pages: int) -> dict:
    def link(n):
        query = request.GET.copy()
        query["page"] = n
        return f"?{query.urlencode()}"
    return {"previous": link(page - 1) if page > 1 else "", "next": link(page + 1) if page < pages else ""}


def _report_or_404(con, report_id: str) -> dict:
    found = explore.report(con, report_id) if REPORT_ID.fullmatch(report_id) else None
    if found is None:
        raise Http404("语料中没有这份报告")
    return found


def _report_grid(grid, cells: dict) -> dict:
    rows = []
    for row in grid.rows:
        shown = []
        for cell in row:
            if cell.source is None:
                shown.append({"cell": cell, "text": cell.text})
                continue
            found = cells.get(".".join(cell.source))
            if found is None:
                text = ""
            elif found["value"] is None:
                text = "未写明"
            else:
                text = figure_text(found["value"])
            shown.append({"cell": cell, "text": text, "missing": found is not None and found["value"] is None})
        rows.append(shown)
    return {"key": grid.key, "head": rows[:grid.header_rows], "body": rows[grid.header_rows:]}


@explorer_view
def corpus_report(request, report_id: str):
    """One report: what was read, its tables 二/三/四 as stored, its issues, its flags and its source."""
    try:
        con = cursor()
    except CorpusMissing as missing:
        return _empty(request, str(missing))
    found = _report_or_404(con, report_id)
    cells = {c["where"]: c for c in explore.report_cells(con, report_id)}
    single_other = "applications.other.total" in cells
    fmt = found["format"] or "2021"
    tables = {"proactive": _report_grid(proactive_grid(fmt), cells),
              "applications": _report_grid(applications_grid(fmt, single_other), cells),
              "appeals": _report_grid(appeals_grid(), cells)}
    flags = [{**f, "label": FLAG_LABELS.get(f["flag"], f["flag"]), "where_label": tx.where_label(f["where"] or ""),
              "previous_url": reverse("explorer:report", args=[f["previous_report_id"]]) if f["previous_report_id"] else ""}
             for f in explore.report_flags(con, report_id)]
    issues = [{**i, "where_label": tx.where_label(i["where"] or "")} for i in explore.report_issues(con, report_id)]
    unstated = [c for c in cells.values() if c["value"] is None]
    origin = found["source_file"] or ""
    return _page(request, "explorer/report.html", {
        "report": found, "level": explore.LEVELS.get(found["level"], ""),
        "kind": KIND_LABELS.get(found["kind"], "其他"), "tables": tables, "flags": flags,
        "issues": issues, "unstated": unstated, "sections": [(tx.SECTIONS[k], found[k]) for k in tx.PROSE_SECTIONS],
        "source_url": origin if origin.startswith(("http://", "https://")) else "",
        "source_served": bool(source_bytes(found)),
    })


@explorer_view
def corpus_source(request, report_id: str):
    """The file the report was read from — only from inside a source store, only with the bytes read."""
    try:
        con = cursor()
    except CorpusMissing:
        raise Http404("没有语料库") from None
    found = _report_or_404(con, report_id)
    data = source_bytes(found)
    if data is None:
        raise Http404("这份报告的原文件不在本站的原文库中（或已被替换）")
    response = HttpResponse(data, content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, found["source_name"] or "report")
    return response
