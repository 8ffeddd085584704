"""The region report (汇总): tables 二、三、四 of an office's units summed cell by cell.

Which cells add up is read from the taxonomy:

* tables 三 and 四 are counts of applications and cases: every cell adds up (the
  总计 columns too, since each is itself a sum);
* table 二's counts (件数, 数量, 采购项目数量) and amounts (收费金额, 采购总金额) add up;
* table 二's signed columns (``ProactiveRow.signed``: the 2019 format's 本年增/减) are not
  summed: reports print a decrease with or without its sign, so a sum of them would be a
  confident wrong number.  Their summed cell is null, with an issue saying why.

A unit's cell that is null makes the summed cell null, with an issue naming the units,
unless ``known_only`` asks for the sum of the stated values (then a warning says how many
units are left out).  A unit without a report for the year is listed in ``missing`` and
adds nothing.  A unit whose report is in the other format adds nothing to table 二
(the two formats' rows differ) and is named in that table's issue.

A unit may report its subtree's figures (``Unit.covers_children``, e.g. a 系统 whose report
includes its 下属单位): its descendants are then not added again, and ``parent_checks``
compares its figures with the sum of theirs.

    >>> a = AnnualReport.empty("2021", year=2023); a.appeals["review"]["upheld"] = 2
    >>> b = AnnualReport.empty("2021", year=2023); b.appeals["review"]["upheld"] = 3
    >>> roll_up([Unit("a", "甲", a), Unit("b", "乙", b)], agency="某区", year=2023).report.appeals["review"]["upheld"]
    5
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from . import taxonomy as tx
from .model import AnnualReport, Issue, Number

Source = tuple[str, str, str]  # (table, row key, column key), as in report JSON and write.layout


@dataclass(frozen=True)
class Unit:
    """One unit of the roll-up: ``key`` identifies it to the caller (the drill-down links by it)."""

    key: str
    name: str
    report: AnnualReport | None  # None: no report for the year
    parent: str | None = None  # the key of its parent unit, when the parent is a unit too
    covers_children: bool = False  # its report already includes its descendants' figures


@dataclass
class RollUp:
    report: AnnualReport  # the summed tables; its ``issues`` say which cells are null and why
    summed: list[Unit]  # units whose figures are added
    covered: list[tuple[Unit, Unit]]  # (unit, the ancestor whose report includes it)
    missing: list[Unit]  # units without a report for the year
    contributions: dict[Source, list[tuple[Unit, Number | None]]] = field(default_factory=dict)
    known_only: bool = False

    def behind(self, source: Source) -> list[tuple[Unit, Number | None]]:
        """The units behind a summed cell and the value each states (None: not stated)."""
        return self.contributions.get(source, [])


def roll_up_format(year: int) -> str:
    return "2021" if year >= tx.FIRST_YEAR_OF_2021_FORMAT else "2019"


def summed_cells(report: AnnualReport) -> list[Source]:
    """Every cell of tables 二、三、四 that the roll-up fills, in printed order."""
    cells: list[Source] = []
    if report.format == "2021":
        cells += [("proactive", row.key, column.key) for row in tx.PROACTIVE_2021_LIST for column in row.columns]
    else:
        cells += [("proactive_2019", row.key, column.key) for row in tx.PROACTIVE_2019_LIST for column in row.columns]
    cells += [("applications", row, column) for row in report.application_row_keys()
              for column in tx.APPLICANT_COLUMN_KEYS]
    cells += [("appeals", block, column) for block in tx.APPEAL_BLOCK_KEYS for column in tx.APPEAL_COLUMN_KEYS]
    return cells


def is_additive(source: Source) -> bool:
    table, row, column = source
    if table in ("proactive", "proactive_2019"):
        spec = (tx.PROACTIVE_2021 if table == "proactive" else tx.PROACTIVE_2019)[row]
        return column not in spec.signed
    return table in ("applications", "appeals")


class _NotComparable:
    """A unit's cell that cannot be added: its report is in the other format (table 二)."""


NOT_COMPARABLE = _NotComparable()


def unit_value(report: AnnualReport, source: Source, *, fmt: str) -> Number | None | _NotComparable:
    """The unit's value for a cell of a roll-up in ``fmt``.

    A single （六）其他处理 row of the roll-up takes a unit's three 其他处理 rows added up
    (the format defines the single row as their sum).
    """
    table, row, column = source
    if table in ("proactive", "proactive_2019") and report.format != fmt:
        return NOT_COMPARABLE
    if table == "applications" and row == "other" and not report.single_other:
        parts = [(report.applications.get(key) or {}).get(column) for key in tx.OTHER_SUBROW_KEYS]
        return None if None in parts else sum(parts)
    return ((getattr(report, table) or {}).get(row) or {}).get(column)


def _add(values: Iterable[Number]) -> Number:
    values = list(values)
    if all(isinstance(value, int) for value in values):
        return sum(values)
    # Amounts (万元) are decimal fractions: add them exactly, so 0.1 + 0.2 prints as 0.3.
    return float(sum((Decimal(repr(value)) for value in values), Decimal(0)))


def _names(units: Sequence[Unit], limit: int = 5) -> str:
    shown = "、".join(unit.name for unit in units[:limit])
    return shown + (f"等{len(units)}个单位" if len(units) > limit else "")


def _covering_ancestor(unit: Unit, by_key: dict[str, Unit]) -> Unit | None:
    seen, node = set(), unit
    while node.parent is not None and node.parent in by_key and node.parent not in seen:
        seen.add(node.parent)
        node = by_key[node.parent]
        if node.covers_children:
            return node
    return None


def roll_up(units: Sequence[Unit], *, agency: str, year: int, known_only: bool = False) -> RollUp:
    """Tables 二、三、四 of ``units`` summed into one report of ``agency`` for ``year``."""
    by_key = {unit.key: unit for unit in units}
    fmt = roll_up_format(year)
    covered, summed, missing = [], [], []
    for unit in units:
        ancestor = _covering_ancestor(unit, by_key)
        if ancestor is not None:
            covered.append((unit, ancestor))
        elif unit.report is None:
            missing.append(unit)
        else:
            summed.append(unit)
    single_other = fmt == "2019" or any(unit.report.single_other for unit in summed)
    report = AnnualReport.empty(fmt, single_other=single_other, agency=agency, year=year)
    result = RollUp(report, summed, covered, missing, known_only=known_only)
    other_format = [unit for unit in summed if unit.report.format != fmt]
    if other_format:
        table = "proactive" if fmt == "2021" else "proactive_2019"
        report.add_issue("rollup.other_format", "warning", table,
                         f"{_names(other_format)}的报告为{other_format[0].report.format}年格式，表二的行与本年格式不同，未计入表二")
    for source in summed_cells(report):
        table, row, column = source
        values = [(unit, unit_value(unit.report, source, fmt=fmt)) for unit in summed]
        values = [(unit, value) for unit, value in values if value is not NOT_COMPARABLE]
        result.contributions[source] = values
        where = ".".join(source)
        if not is_additive(source):
            report.add_issue("rollup.not_additive", "info", where,
                             "本年增/减各单位填报口径不一（减少时有的不写负号），不作汇总")
            continue
        unstated = [unit for unit, value in values if value is None]
        known = [value for _, value in values if value is not None]
        if unstated and not (known_only and known):
            hint = "" if known_only else "（可选择“只汇总已填报的单位”）"
            report.add_issue("rollup.unstated", "warning", where, f"{_names(unstated)}未填报此项，汇总数空缺{hint}")
            continue
        if unstated:
            report.add_issue("rollup.partial", "warning", where,
                             f"仅为已填报单位之和，{_names(unstated)}未填报此项")
        if known:
            getattr(report, table)[row][column] = _add(known)
    report.sync_shared_decisions()
    if missing:
        report.add_issue("rollup.missing", "warning", "year",
                         f"{_names(missing)}没有{year}年度报告，未计入汇总")
    return result


# ---------------------------------------------------------------- a parent against its children


def descendants(unit: Unit, units: Sequence[Unit]) -> list[Unit]:
    children: dict[str, list[Unit]] = {}
    for other in units:
        if other.parent is not None:
            children.setdefault(other.parent, []).append(other)
    out, stack = [], list(children.get(unit.key, []))
    while stack:
        node = stack.pop(0)
        out.append(node)
        stack.extend(children.get(node.key, []))
    return out


def parent_checks(units: Sequence[Unit], *, year: int) -> list[Issue]:
    """For each unit that reports its subtree's figures, every cell that differs from its subtree's sum.

    The subtree's sum is the roll-up of the unit's descendants (so a child that itself
    reports its own subtree is taken as it reports).  A subtree with a unit missing its
    report is not compared (its sum would be partial); cells whose sum is null are skipped.
    """
    issues: list[Issue] = []
    for parent in units:
        if not parent.covers_children or parent.report is None:
            continue
        below = descendants(parent, units)
        if not below:
            continue
        sum_of = roll_up(below, agency=parent.name, year=year)
        if sum_of.missing:
            issues.append(Issue("rollup.parent_unchecked", "info", "year",
                                f"「{parent.name}」报告含下级单位数据，但{_names(sum_of.missing)}没有{year}年度报告，无法核对"))
            continue
        fmt = roll_up_format(year)
        for source in summed_cells(sum_of.report):
            expected = _value(sum_of.report, source)
            stated = unit_value(parent.report, source, fmt=fmt)
            if expected is None or stated is None or stated is NOT_COMPARABLE or not is_additive(source):
                continue
            if _add([stated]) != expected:
                issues.append(Issue("rollup.parent_sum", "error", ".".join(source),
                                    f"{tx.where_label('.'.join(source))}：「{parent.name}」报告 {_text(stated)}，"
                                    f"下级单位之和 {_text(expected)}（{_names(sum_of.summed)}）"))
    return issues


def _value(report: AnnualReport, source: Source) -> Number | None:
    table, row, column = source
    return ((getattr(report, table) or {}).get(row) or {}).get(column)


def _text(value: Number) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
