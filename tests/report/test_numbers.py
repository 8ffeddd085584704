"""Reading one row's numbers: separated cells, run-together digits, extra and missing cells."""

import pytest

from gongkai.report.read.numbers import RowShape, agreed, row_candidates, tokenize
from gongkai.report.read.tables import TABLE3_SHAPE, TABLE4_SHAPE, tied_tokens


def readings(text, shape=TABLE3_SHAPE, allow_split=True):
    return row_candidates(tokenize(text), shape, allow_split=allow_split)


def test_separated_cells_are_taken_as_printed():
    assert readings("\t32\t2\t0\t0\t0\t0\t34") == [(32, 2, 0, 0, 0, 0, 34)]


def test_printed_cells_that_do_not_add_up_are_kept_for_the_checks_to_report():
    assert readings("1 2 3 4 5 6 7") == [(1, 2, 3, 4, 5, 6, 7)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 平潭 2021: 64, 0, 0, 2, 0, 4, 70
        ("640020470", (64, 0, 0, 2, 0, 4, 70)),
        ("0000000", (0, 0, 0, 0, 0, 0, 0)),
        # a space is a real boundary, the rest is run together: 23, 0, 0, 0, 0, 0, 23
        ("230 000023", (23, 0, 0, 0, 0, 0, 23)),
        ("500000 5", (5, 0, 0, 0, 0, 0, 5)),
    ],
)
def test_run_together_digits_are_split_by_the_row_total(text, expected):
    assert readings(text) == [expected]


def test_an_ambiguous_run_gives_every_reading_and_agreed_keeps_only_what_they_share():
    options = readings("270020130")
    assert (27, 0, 0, 2, 0, 1, 30) in options
    assert len(options) > 1
    shared = agreed(options)
    assert shared[6] == 30 or shared[6] is None
    assert None in shared


def test_splitting_is_refused_where_cells_are_separated():
    # A blank 总计 in a tab layout must not be "found" by splitting 10 into 1 and 0.
    assert readings("10\t0\t0\t0\t0\t1", allow_split=False) == []


def test_more_numbers_than_cells_give_no_reading_however_well_a_window_adds_up():
    # Eight zeros: any seven of them balance, which ties none of them to the row.
    assert readings("0\t0\t0\t0\t0\t0\t0\t0") == []
    assert readings("9 0 0 0 0 0 9 0 0 0 0 0 0 0") == []
    assert readings("0\t0\t0\t0\t0\t0\t0\t\ue000") == [(0, 0, 0, 0, 0, 0, 0)]  # a pipe row's empty last cell


def tied(text, label_end=5, **kwargs):
    tokens = tied_tokens(text, label_end, tokenize(text, label_end), TABLE3_SHAPE.size, **kwargs)
    return None if tokens is None else [t.text for t in tokens]


def test_only_a_first_row_on_the_labels_own_line_is_tied_to_the_label():
    assert tied("予以公开\t9\t0\t0\t0\t0\t0\t9\n0\t0\t0\t0\t0\t0\t0") == ["9", "0", "0", "0", "0", "0", "9"]
    assert tied("予以公开\t9\t0\t0\t0\t0\t0\t9\t0\t0\t0\t0\t0\t0\t0") is None  # two rows on one line
    assert tied("予以公开\n9\n0\n0\n0\n0\n0\n9\n0\n0\n0\n0\n0\n0\n0") is None  # a column of numbers
    assert tied("予以公开\n9\n0\n0\n0\n0\n0\n9") == ["9", "0", "0", "0", "0", "0", "9"]


def test_numbers_below_a_label_whose_predecessor_has_none_are_not_tied():
    # 〔A〕〔B〕 then seven numbers: A's or B's?
    assert tied("予以公开\n9\n0\n0\n0\n0\n0\n9", previous_empty=True) is None
    assert tied("予以公开\t9\t0\t0\t0\t0\t0\t9", previous_empty=True) == ["9", "0", "0", "0", "0", "0", "9"]


def test_blank_placeholders_are_cells_without_a_number():
    assert readings("3 — 0 0 0 0 3") == [(3, None, 0, 0, 0, 0, 3)]


def test_table_four_run_together_is_resolved_by_its_three_block_totals():
    assert readings("10203120001200000", TABLE4_SHAPE) == [(1, 0, 2, 0, 3, 12, 0, 0, 0, 12, 0, 0, 0, 0, 0)]


def test_signed_and_decimal_columns():
    shape = RowShape(3, signed=frozenset({1}))
    assert readings("2648 -185 38", shape) == [(2648, -185, 38)]
    assert readings("2648 185 -38", shape) == []
    fee = RowShape(1, decimal=frozenset({0}))
    assert readings("24252.311082", fee) == [(24252.311082,)]
    assert readings("19,365", RowShape(1)) == [(19365,)]


def test_without_a_sum_rule_a_run_of_digits_stays_ambiguous():
    assert len(readings("693665", RowShape(3))) > 1
    assert readings("000", RowShape(3)) == [(0, 0, 0)]


def test_a_blank_cell_in_a_separated_table_four_leaves_it_unread_with_an_issue():
    from gongkai.report.read import text_to_report

    text = ("某区2021年政府信息公开工作年度报告\n一、总体情况\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n"
            "四、政府信息公开行政复议、行政诉讼情况\n行政复议\t行政诉讼\n结果维持\t结果纠正\t其他结果\t尚未审结\t总计\n"
            # 15 cells, the review's 其他结果 left blank; digits are never split to fill it
            "10\t0\t\t0\t10\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\n五、存在的主要问题及改进情况\n无\n")
    report = text_to_report(text)
    assert report.appeals["review"] == dict.fromkeys(("upheld", "corrected", "other", "pending", "total"))
    assert any(i.where == "appeals" and i.rule == "read.ambiguous" for i in report.issues)


def test_this_years_number_of_items_is_never_negative():
    """2019 table 二: 上一年项目数量 5 and 本年增/减 -31 would leave -26 items."""
    shape = RowShape(3, signed=frozenset({1}), floors=((0, 1),))
    assert readings("5-3100", shape) == [(5, -3, 100)]
    assert len(readings("5-3100", RowShape(3, signed=frozenset({1})))) == 2


def test_a_run_together_amount_splits_only_before_its_decimals():
    options = readings("13575394432.52", RowShape(2, decimal=frozenset({1})))
    assert (135, 75394432.52) in options
    assert all(isinstance(projects, int) and str(amount).endswith(".52") for projects, amount in options)
    assert readings("135.5", RowShape(2, decimal=frozenset({1}))) == [(1, 35.5), (13, 5.5)]
