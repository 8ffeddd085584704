"""The region roll-up (汇总) as arithmetic: sums of random valid reports, nulls, the parent-vs-children check."""

from __future__ import annotations

import doctest
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.report import rollup as r
from gongkai.report import taxonomy as tx
from gongkai.report.checks import check_report
from gongkai.report.model import AnnualReport
from gongkai.report.rollup import Unit, parent_checks, roll_up
from strategies import annual_reports


def _value(report, source):
    table, row, column = source
    return ((getattr(report, table) or {}).get(row) or {}).get(column)


def plain_value(report, source):
    """A unit's number for a cell, written without the module; a single （六） row takes the three sub-rows' sum."""
    table, row, column = source
    if table == "applications" and row == "other" and report.applications.get("other") is None:
        parts = [report.applications[key][column] for key in tx.OTHER_SUBROW_KEYS]
        return None if None in parts else sum(parts)
    return _value(report, source)


def plain_sum(reports, source, *, known_only=False):
    """The roll-up's oracle: every value stated → their sum (the stated ones only, if asked), else None."""
    values = [plain_value(report, source) for report in reports]
    if known_only:
        values = [value for value in values if value is not None]
    if not values or None in values:
        return None
    if all(isinstance(v, int) for v in values):
        return sum(values)
    return float(sum(Decimal(repr(v)) for v in values))


@settings(max_examples=60, deadline=None)
@given(st.lists(annual_reports(formats=("2021",)), min_size=1, max_size=5), st.booleans())
def test_the_roll_up_of_random_reports_is_their_cell_wise_sum(reports, known_only):
    units = [Unit(str(n), f"单位{n}", report) for n, report in enumerate(reports)]
    rolled = roll_up(units, agency="某区", year=2023, known_only=known_only)
    assert rolled.report.single_other == any(report.single_other for report in reports)
    for source in r.summed_cells(rolled.report):
        assert _value(rolled.report, source) == plain_sum(reports, source, known_only=known_only), source
        assert [value for _, value in rolled.behind(source)] == [plain_value(rep, source) for rep in reports]


@settings(max_examples=30, deadline=None)
@given(st.lists(annual_reports(formats=("2021",), consistent=True), min_size=2, max_size=4))
def test_the_sum_of_consistent_reports_passes_the_table_three_and_four_checks(reports):
    rolled = roll_up([Unit(str(n), f"单位{n}", rep) for n, rep in enumerate(reports)], agency="某区", year=2023)
    rules = {issue.rule for issue in check_report(rolled.report) if issue.severity == "error"}
    assert not rules & {"applications.balance", "applications.row_total", "applications.outcome_total"}


def test_a_null_unit_cell_makes_the_summed_cell_null_with_an_issue_unless_the_known_are_asked_for():
    a, b = AnnualReport.empty("2021", year=2023), AnnualReport.empty("2021", year=2023)
    a.appeals["review"]["upheld"] = 4
    units = [Unit("a", "甲局", a), Unit("b", "乙局", b)]
    strict = roll_up(units, agency="某区", year=2023)
    assert strict.report.appeals["review"]["upheld"] is None
    issue = next(i for i in strict.report.issues if i.where == "appeals.review.upheld")
    assert issue.rule == "rollup.unstated" and "乙局" in issue.message and "甲局" not in issue.message
    known = roll_up(units, agency="某区", year=2023, known_only=True)
    assert known.report.appeals["review"]["upheld"] == 4
    assert any(i.rule == "rollup.partial" and i.where == "appeals.review.upheld" for i in known.report.issues)
    # A cell nobody stated stays null and says so, whichever the choice.
    assert known.report.appeals["review"]["pending"] is None
    assert [i.rule for i in known.report.issues if i.where == "appeals.review.pending"] == ["rollup.unstated"]


def test_units_without_a_report_are_listed_and_add_nothing():
    a = AnnualReport.empty("2021", year=2023)
    a.appeals["review"]["upheld"] = 4
    rolled = roll_up([Unit("a", "甲局", a), Unit("b", "乙局", None)], agency="某区", year=2023)
    assert [u.name for u in rolled.missing] == ["乙局"] and [u.name for u in rolled.summed] == ["甲局"]
    assert rolled.report.appeals["review"]["upheld"] == 4
    assert any(i.rule == "rollup.missing" and "乙局" in i.message for i in rolled.report.issues)


def test_signed_2019_changes_are_not_summed_and_the_counts_are():
    a, b = AnnualReport.empty("2019", year=2020), AnnualReport.empty("2019", year=2020)
    for report, n in ((a, 3), (b, 5)):
        report.proactive_2019["licensing"].update(previous_items=n, change=-1, decisions=n)
        report.sync_shared_decisions()
    rolled = roll_up([Unit("a", "甲", a), Unit("b", "乙", b)], agency="某区", year=2020)
    assert rolled.report.proactive_2019["licensing"] == {"previous_items": 8, "change": None, "decisions": 8}
    assert rolled.report.proactive["licensing"] == {"decisions": 8}  # the shared 处理决定数量 follows
    assert any(i.rule == "rollup.not_additive" and i.where == "proactive_2019.licensing.change"
               for i in rolled.report.issues)


def test_amounts_add_exactly():
    a, b = AnnualReport.empty("2021", year=2023), AnnualReport.empty("2021", year=2023)
    a.proactive["fees"]["amount_10k_yuan"], b.proactive["fees"]["amount_10k_yuan"] = 0.1, 0.2
    rolled = roll_up([Unit("a", "甲", a), Unit("b", "乙", b)], agency="某区", year=2023)
    assert rolled.report.proactive["fees"]["amount_10k_yuan"] == 0.3


def test_a_report_of_the_other_format_adds_to_tables_three_and_four_only():
    new, old = AnnualReport.empty("2021", year=2021), AnnualReport.empty("2019", year=2021)
    new.proactive["rules"]["issued"], new.appeals["review"]["upheld"] = 2, 1
    old.appeals["review"]["upheld"] = 5
    rolled = roll_up([Unit("a", "甲", new), Unit("b", "乙", old)], agency="某区", year=2021)
    assert rolled.report.proactive["rules"]["issued"] == 2
    assert rolled.report.appeals["review"]["upheld"] == 6
    assert any(i.rule == "rollup.other_format" and "乙" in i.message for i in rolled.report.issues)


def _tree(parent_report, children_reports, *, covers=True):
    units = [Unit("p", "上级局", parent_report, covers_children=covers)]
    units += [Unit(f"c{n}", f"下级{n}", rep, parent="p") for n, rep in enumerate(children_reports)]
    return units


@settings(max_examples=30, deadline=None)
@given(st.lists(annual_reports(formats=("2021",), consistent=True), min_size=1, max_size=3),
       st.data())
def test_a_parent_equal_to_its_childrens_sum_passes_and_any_change_is_caught(children, data):
    parent = roll_up([Unit(str(n), "x", c) for n, c in enumerate(children)], agency="上级局", year=2023).report
    parent.issues = []
    units = _tree(parent, children)
    assert parent_checks(units, year=2023) == []
    cells = [s for s in r.summed_cells(parent) if r.is_additive(s) and _value(parent, s) is not None]
    table, row, column = data.draw(st.sampled_from(cells))
    getattr(parent, table)[row][column] += data.draw(st.integers(1, 5))
    found = parent_checks(units, year=2023)
    assert [issue.where for issue in found] == [f"{table}.{row}.{column}"]
    assert found[0].rule == "rollup.parent_sum" and "上级局" in found[0].message


def test_a_parent_that_covers_its_children_is_summed_alone_and_one_that_does_not_is_added_to_them():
    parent, child = AnnualReport.empty("2021", year=2023), AnnualReport.empty("2021", year=2023)
    parent.appeals["review"]["upheld"], child.appeals["review"]["upheld"] = 7, 7
    covering = roll_up(_tree(parent, [child]), agency="某区", year=2023)
    assert covering.report.appeals["review"]["upheld"] == 7
    assert [(u.name, a.name) for u, a in covering.covered] == [("下级0", "上级局")]
    separate = roll_up(_tree(parent, [child], covers=False), agency="某区", year=2023)
    assert separate.report.appeals["review"]["upheld"] == 14
    assert parent_checks(_tree(parent, [child], covers=False), year=2023) == []


def test_a_parent_whose_child_has_no_report_is_not_checked():
    parent = AnnualReport.empty("2021", year=2023)
    parent.appeals["review"]["upheld"] = 7
    found = parent_checks(_tree(parent, [None]), year=2023)
    assert [issue.rule for issue in found] == ["rollup.parent_unchecked"]


def test_the_module_docstring_example_runs():
    assert doctest.testmod(r).failed == 0
