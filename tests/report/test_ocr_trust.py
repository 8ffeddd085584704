"""An OCR'd number is kept only where the table's own arithmetic confirms it (no OCR run here:
the seeds' cells stand for what OCR read, with the misreadings OCR makes put in by hand)."""

import copy

import pytest
from tests.conftest import SEEDS

from gongkai.report.read import read_report
from gongkai.report.read.ocr_trust import keep_confirmed, ocr_tables

ALL_TABLES = {"applications": [2], "appeals": [3], "proactive": [1]}


@pytest.fixture
def seed_report():
    def load(prefix):
        (path,) = [p for p in SEEDS if p.name.startswith(prefix)]
        return read_report(path)

    return load


def test_a_clean_table_three_and_four_are_kept_whole_and_table_two_is_dropped(seed_report):
    report = seed_report("003")
    before = copy.deepcopy(report.applications), copy.deepcopy(report.appeals)
    keep_confirmed(report, ALL_TABLES)
    assert (report.applications, report.appeals) == before
    assert all(v is None for row in report.proactive.values() for v in row.values())
    where = {i.where for i in report.issues if i.rule == "ocr.unconfirmed"}
    assert "proactive.rules.issued" in where and not any(w.startswith("applications") for w in where)


def test_a_misread_digit_is_null_with_an_issue_naming_page_and_cell_and_its_neighbours_stay(seed_report):
    report = seed_report("003")
    assert report.applications["new"]["natural_person"] == 68
    report.applications["new"]["natural_person"] = 88  # OCR read 6 as 8
    keep_confirmed(report, ALL_TABLES)
    assert report.applications["new"]["natural_person"] is None
    # its column's other cells add up among themselves: the outcome rows to （七）总计
    assert report.applications["total"]["natural_person"] == 68
    assert list(report.applications["granted"].values()) == [31, 2, 0, 0, 0, 0, 33]
    assert report.applications["new"]["research"] == 0
    (issue,) = [i for i in report.issues if i.where == "applications.new.natural_person"]
    assert issue.rule == "ocr.unconfirmed" and "第2页" in issue.message and "自然人" in issue.message
    assert "88" in issue.message
    # the balance check is not reported on a number that was dropped
    assert not [i for i in report.errors() if i.rule == "applications.balance"]


def test_a_number_only_mirrored_by_an_equal_total_is_not_confirmed(seed_report):
    """``0 2 0 0 2``: the block adds up, but the same glyphs misread alike would add up too."""
    report = seed_report("000")
    keep_confirmed(report, ALL_TABLES)
    assert report.appeals["review"] == {"upheld": 0, "corrected": None, "other": 0, "pending": 0, "total": None}
    assert list(report.applications["total"].values()) == [35, 0, 0, 0, 0, 0, 35]


def test_two_misreadings_in_one_row_and_a_broken_appeal_block(seed_report):
    report = seed_report("000")
    report.applications["granted"]["natural_person"] = 11  # 14
    report.applications["granted"]["total"] = 11  # 14: the row adds up, its columns do not
    report.appeals["review"]["corrected"] = 7  # 2
    keep_confirmed(report, ALL_TABLES)
    assert report.applications["granted"]["natural_person"] is None
    assert report.applications["granted"]["total"] is None
    assert report.applications["granted"]["commercial"] == 0
    assert set(report.appeals["review"].values()) == {None}
    assert report.appeals["litigation_direct"]["total"] == 0


def test_a_report_that_does_not_add_up_keeps_only_what_its_arithmetic_confirms(seed_report):
    report = seed_report("000")
    report.applications["carried_forward"]["commercial"] = 5  # published wrong, or read wrong
    keep_confirmed(report, {"applications": [1]})
    assert report.applications["carried_forward"]["commercial"] is None
    assert report.applications["carried_forward"]["total"] == 2  # its column balances


def test_tables_on_ocr_pages_are_found_by_their_labels():
    pages = ["二、主动公开政府信息情况 第二十条第（一）项 规章", "一、本年新收政府信息公开申请数量 32",
             "行政复议 结果维持", "六、其他需要报告的事项"]
    assert ocr_tables(pages, [2, 3, 4]) == {"applications": [2], "appeals": [3]}
    assert ocr_tables(pages, [1]) == {"proactive": [1]}
