"""Copied report text (文字雷同) among an office's units: a unit's section that repeats its own report of
the year before, or another unit's, found by ``gongkai.corpus.similar`` (datasketch MinHash/LSH, each
candidate confirmed by its exact Jaccard) over every report of the units the user may see.
"""

from __future__ import annotations

from dataclasses import dataclass

from gongkai.corpus import similar
from gongkai.report import taxonomy as tx
from gongkai.web.agencies.models import Agency

from .rollup import visible_roster
from .unit_reports import UnitReport, unit_key, unit_reports

KIND_LABELS = {"previous_year": "与本单位上一年度报告重复", "other_agency": "与其他单位报告雷同"}


@dataclass(frozen=True)
class CopiedPair:
    kind: str  # previous_year | other_agency
    left: UnitReport
    left_section: str  # overview | problems | other
    right: UnitReport
    right_section: str
    similarity: float  # exact Jaccard of the two sections' 5-character pieces

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


def section_title(key: str) -> str:
    section = tx.SECTIONS[key]
    return f"{section.number}、{section.title}"


@dataclass
class OfficeReports:
    reports: dict[str, UnitReport]  # report id -> report
    names: dict[str, str]  # unit key -> name


def office_reports(user, office: Agency) -> OfficeReports:
    """Every year's report of the office's units, through the one gate."""
    rows = visible_roster(user, office)
    return OfficeReports({report.report_id: report for report in unit_reports(user, rows)},
                         {unit_key(row): row.name for row in rows})


def copied_pairs(reports: OfficeReports, year: int) -> list[CopiedPair]:
    """Pairs of matching sections with one side in ``year``, most similar first, each pair once."""
    rows = [{"report_id": report.report_id, "year": report.year, "agency_key": report.unit_key,
             **{key: report.report.sections.get(key) for key in similar.SECTIONS}}
            for report in reports.reports.values()]
    seen, pairs = set(), []
    for match in similar.near_duplicates(similar.sections_of(rows)):
        if match.section.year != year:
            continue
        ends = frozenset({(match.section.report_id, match.section.key), (match.other.report_id, match.other.key)})
        if ends in seen:
            continue
        seen.add(ends)
        pairs.append(CopiedPair(match.kind, reports.reports[match.section.report_id], match.section.key,
                                reports.reports[match.other.report_id], match.other.key, match.similarity))
    return sorted(pairs, key=lambda p: (-p.similarity, reports.names[p.left.unit_key], p.left_section))


def section_similarity(left: str | None, right: str | None) -> float:
    """The two sections' exact Jaccard, the figure ``copied_pairs`` reports."""
    return similar.jaccard(similar.shingles(similar.fold(left)), similar.shingles(similar.fold(right)))
