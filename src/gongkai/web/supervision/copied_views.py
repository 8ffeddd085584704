"""The copied-text pages: the year's matching sections among the office's units, and two sections side by side."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from gongkai.corpus import similar
from gongkai.report import taxonomy as tx

from .copied import copied_pairs, office_reports, section_similarity, section_title
from .rollup_views import year_from
from .views import LOGIN_URL, _office


@login_required(login_url=LOGIN_URL)
def copied(request):
    office, offices = _office(request)
    year = year_from(request.GET.get("year"))
    reports = office_reports(request.user, office)
    pairs = copied_pairs(reports, year)
    this_year = timezone.localdate().year
    return render(request, "supervision/copied.html", {
        "office": office, "offices": offices, "year": year,
        "years": range(this_year, tx.FIRST_YEAR_OF_2019_FORMAT - 1, -1),
        "pairs": [{"pair": pair, "left_name": reports.names[pair.left.unit_key],
                   "right_name": reports.names[pair.right.unit_key],
                   "left_title": section_title(pair.left_section), "right_title": section_title(pair.right_section),
                   "percent": round(pair.similarity * 100)} for pair in pairs],
        "compared": len(reports.reports),
        "min_chars": similar.MIN_CHARS, "similar_at": round(similar.SIMILAR_AT * 100)})


@login_required(login_url=LOGIN_URL)
def copied_compare(request):
    """Two sections side by side, sentence against sentence; a report outside the office's units is a 404."""
    office, offices = _office(request)
    reports = office_reports(request.user, office)
    sides = []
    for report_param, section_param in (("a", "as"), ("b", "bs")):
        report = reports.reports.get(request.GET.get(report_param, ""))
        section = request.GET.get(section_param, "")
        if report is None or section not in similar.SECTIONS:
            raise Http404("没有这份报告或这一部分")
        sides.append((report, section, report.report.sections.get(section) or ""))
    (left, left_section, left_text), (right, right_section, right_text) = sides
    rows = similar.aligned_sentences(left_text, right_text)
    return render(request, "supervision/copied_compare.html", {
        "office": office, "offices": offices, "year": left.year,
        "left": left, "right": right, "left_name": reports.names[left.unit_key],
        "right_name": reports.names[right.unit_key],
        "left_title": section_title(left_section), "right_title": section_title(right_section),
        "percent": round(section_similarity(left_text, right_text) * 100),
        "rows": [{"row": row, "css": "copied-same" if row.similarity == 1.0 else "copied-near" if row.similarity else "",
                  "percent": round(row.similarity * 100)} for row in rows],
        "matched": sum(1 for row in rows if row.similarity)})
