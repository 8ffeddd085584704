"""The table-level narrowing of run-together rows by the 勾稽关系 (report.read.solve)."""

from gongkai.report.read.solve import Rule, narrow
from gongkai.report.read.tables import table3_rules

# total = a + b, column by column (one column here)
SUM = [Rule((("total", 0, -1), ("a", 0, 1), ("b", 0, 1)))]


def test_a_row_with_two_readings_takes_the_one_the_rule_allows():
    assert narrow({"a": [(1,), (10,)], "b": [(2,)], "total": [(12,)]}, SUM) == {"a": (10,), "b": (2,), "total": (12,)}


def test_readings_that_all_keep_the_rules_leave_the_cells_they_disagree_on_blank():
    choices = {"a": [(1, 5), (2, 5)], "b": [(2, 0), (1, 0)], "total": [(3, 5)]}
    rules = [Rule((("total", c, -1), ("a", c, 1), ("b", c, 1))) for c in range(2)]
    assert narrow(choices, rules) == {"a": (None, 5), "b": (None, 0), "total": (3, 5)}


def test_no_reading_keeps_the_rules_and_nothing_is_decided():
    assert narrow({"a": [(1,), (10,)], "b": [(2,)], "total": [(50,)]}, SUM)["a"] is None


def test_a_table_whose_certain_rows_break_a_rule_vouches_for_no_split():
    """A published arithmetic error elsewhere: the rules are no evidence for how ``a`` splits."""
    rules = [*SUM, Rule((("x", 0, 1), ("y", 0, -1)))]
    choices = {"a": [(1,), (10,)], "b": [(2,)], "total": [(12,)], "x": [(3,)], "y": [(4,)]}
    assert narrow(choices, rules)["a"] is None


def test_running_out_of_budget_decides_nothing():
    choices = {"a": [(1,), (10,)], "b": [(2,)], "total": [(12,)]}
    assert narrow(choices, SUM, budget=1)["a"] is None


def test_table_three_rules_tie_the_balance_and_the_outcomes_of_every_column():
    rules = table3_rules(("granted", "other"))
    assert len(rules) == 14
    assert {row for rule in rules for row, _, _ in rule.terms} == {
        "new", "carried_over", "total", "carried_forward", "granted", "other"}
