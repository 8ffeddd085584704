"""The office's region report (汇总) of a year: its units' reports through ``unit_reports``, summed by
``gongkai.report.rollup``.

The agency tree gives each unit its parent; the roster's option 「报告含下级单位数据」
(``RosterUnit.reports_subtree``) says a unit's report already includes its lower units, so they
are not added twice and its figures are checked against theirs.
"""

from __future__ import annotations

from dataclasses import dataclass

from gongkai.report.checks import check_report
from gongkai.report.model import AnnualReport, Issue
from gongkai.report.rollup import RollUp, Unit, parent_checks, roll_up
from gongkai.web.agencies.models import Agency
from gongkai.web.agencies.selectors import visible_agency_ids

from .selectors import RosterRow, roster_of
from .unit_reports import UnitReport, unit_key, unit_reports


@dataclass
class OfficeRollUp:
    office: Agency
    year: int
    rolled: RollUp
    rows: dict[str, RosterRow]  # unit key -> the roster row
    reports: dict[str, UnitReport]  # unit key -> its report of the year
    parent_issues: list[Issue]  # a parent's figures against the sum of its lower units
    issues: list[Issue]  # the roll-up's own (null cells, missing units) and the checks' errors on the sum

    @property
    def report(self) -> AnnualReport:
        return self.rolled.report

    def unit_has_children(self, key: str) -> bool:
        return any(unit.parent == key for unit in self.units)

    @property
    def units(self) -> list[Unit]:
        return [*self.rolled.summed, *(unit for unit, _ in self.rolled.covered), *self.rolled.missing]


def visible_roster(user, office: Agency) -> list[RosterRow]:
    """The office's roster as far as the one gate lets ``user`` see it (an office: its subtree)."""
    ids = visible_agency_ids(user)
    return [row for row in roster_of(office) if row.agency is None or ids is None or row.agency.pk in ids]


def rollup_units(rows: list[RosterRow], reports: dict[str, UnitReport]) -> list[Unit]:
    keys = {row.agency.pk for row in rows if row.agency is not None}
    units = []
    for row in rows:
        parent = row.agency.parent_id if row.agency is not None and row.agency.parent_id in keys else None
        key = unit_key(row)
        units.append(Unit(key, row.name, reports[key].report if key in reports else None,
                          parent=f"agency:{parent}" if parent is not None else None,
                          covers_children=bool(row.entry and row.entry.reports_subtree)))
    return units


def rollup_name(office: Agency, count: int) -> str:
    return f"{office.full_name}（{count}个单位汇总）"


def office_rollup(user, office: Agency, year: int, *, known_only: bool = False) -> OfficeRollUp:
    rows = visible_roster(user, office)
    reports = {report.unit_key: report for report in unit_reports(user, rows, years=[year])}
    units = rollup_units(rows, reports)
    rolled = roll_up(units, agency=rollup_name(office, len(units)), year=year, known_only=known_only)
    summed = "、".join(unit.name for unit in rolled.summed) or "无"
    rolled.report.sections["overview"] = (
        f"本报告表二、表三、表四为{office.full_name}所监督的{len(units)}个单位{year}年度报告的汇总。"
        f"计入汇总的单位：{summed}。"
        + (f"没有本年度报告、未计入的单位：{'、'.join(unit.name for unit in rolled.missing)}。" if rolled.missing else "")
        + ("部分单位未填报的单元格只汇总了已填报单位。" if known_only else ""))
    own = list(rolled.report.issues)
    checked = [issue for issue in check_report(rolled.report) if issue.severity == "error"]
    parents = parent_checks(units, year=year)
    rolled.report.issues = own + checked + parents
    return OfficeRollUp(office, year, rolled, {unit_key(row): row for row in rows}, reports, parents,
                        own + checked)
