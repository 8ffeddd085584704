"""The consistency rules, on reports built cell by cell."""

from gongkai.report import taxonomy as tx
from gongkai.report.checks import check_report
from gongkai.report.model import AnnualReport


def balanced_report() -> AnnualReport:
    """A 2021-format report whose tables hold: 5 new + 1 carried = 4 answered + 2 forward."""
    report = AnnualReport.empty("2021", agency="某某区人民政府办公室", year=2021)
    for key in report.application_row_keys():
        report.applications[key] = dict.fromkeys(tx.APPLICANT_COLUMN_KEYS, 0)
    report.applications["new"].update(natural_person=5, total=5)
    report.applications["carried_over"].update(natural_person=1, total=1)
    report.applications["granted"].update(natural_person=3, total=3)
    report.applications["unable.not_held"].update(natural_person=1, total=1)
    report.applications["total"].update(natural_person=4, total=4)
    report.applications["carried_forward"].update(natural_person=2, total=2)
    for block in tx.APPEAL_BLOCK_KEYS:
        report.appeals[block] = dict.fromkeys(tx.APPEAL_COLUMN_KEYS, 0)
    for row in report.proactive.values():
        for column in row:
            row[column] = 0
    return report


def rules(issues):
    return sorted({issue.rule for issue in issues})


def test_a_balanced_report_has_no_issues():
    assert check_report(balanced_report()) == []


def test_the_official_column_balance_quotes_both_sums():
    report = balanced_report()
    report.applications["carried_forward"]["natural_person"] = 3
    report.applications["carried_forward"]["total"] = 3
    issues = check_report(report)
    balance = [i for i in issues if i.rule == "applications.balance"]
    assert [i.where for i in balance] == ["applications.natural_person", "applications.total"]
    assert balance[0].severity == "error"
    assert "第一项加第二项之和(6)不等于第三项加第四项之和(7)" in balance[0].message


def test_a_row_whose_total_is_not_the_sum_of_its_applicants():
    report = balanced_report()
    report.applications["granted"]["commercial"] = 1
    issues = check_report(report)
    row = [i for i in issues if i.rule == "applications.row_total"]
    assert [i.where for i in row] == ["applications.granted.total"]
    assert "六类申请人之和(4)不等于总计(3)" in row[0].message


def test_outcome_rows_must_add_up_to_the_total_row():
    report = balanced_report()
    report.applications["not_processed.duplicate"].update(natural_person=1, total=1)
    issues = check_report(report)
    assert "applications.outcome_total" in rules(issues)
    message = next(i.message for i in issues if i.where == "applications.total.natural_person")
    assert "各项办理结果之和(5)不等于（七）总计(4)" in message


def test_appeal_totals():
    report = balanced_report()
    report.appeals["review"].update(upheld=1, corrected=1, total=3)
    issues = check_report(report)
    assert [i.where for i in issues if i.rule == "appeals.total"] == ["appeals.review.total"]


def test_rules_are_skipped_where_a_cell_is_unstated_and_the_blank_is_reported():
    report = balanced_report()
    report.applications["carried_forward"]["natural_person"] = None
    issues = check_report(report)
    assert "applications.natural_person" not in [i.where for i in issues if i.rule == "applications.balance"]
    assert "cells.blank" in rules(issues)


def test_single_other_row_in_a_2021_table_is_flagged():
    report = AnnualReport.empty("2021", single_other=True, year=2022)
    assert report.single_other
    assert "format.single_other" in rules(check_report(report))


def test_2019_columns_in_a_2021_report_are_flagged():
    report = AnnualReport.empty("2019", year=2023)
    assert "format.2019_columns" in rules(check_report(report))
    assert "format.2019_columns" not in rules(check_report(AnnualReport.empty("2019", year=2020)))


def test_numbers_in_the_text_are_compared_with_table_three():
    report = balanced_report()
    report.sections["overview"] = "本年度共收到依申请公开信息9件，办结4件，2件转接至2022年答复。"
    issues = [i for i in check_report(report) if i.rule == "text.applications_count"]
    assert len(issues) == 1
    assert "收到依申请公开信息9件" in issues[0].message
    assert "5件" in issues[0].message


def test_numbers_in_the_text_that_match_raise_nothing():
    report = balanced_report()
    report.sections["overview"] = "共接到依申请公开办件5件，按要求答复4件，2件转接至2022年答复。"
    assert [i for i in check_report(report) if i.rule == "text.applications_count"] == []


def test_another_towns_name_is_a_warning():
    report = balanced_report()
    report.agency = "南郊镇"
    report.sections["problems"] = "加大“生态北郊微平台”微信公众号推广力度。"
    issues = [i for i in check_report(report) if i.rule == "text.other_agency"]
    assert len(issues) == 1 and "北郊" in issues[0].message


def test_this_years_carried_over_must_equal_last_years_carried_forward():
    previous = balanced_report()
    previous.year = 2020
    report = balanced_report()
    report.applications["carried_over"].update(natural_person=1, total=1)
    issues = check_report(report, previous=previous)
    carried = [i for i in issues if i.rule == "previous.carried_over"]
    assert [i.where for i in carried] == ["applications.carried_over.natural_person", "applications.carried_over.total"]
    assert "上年报告「结转下年度继续办理」为2件" in carried[0].message


def test_previous_report_of_the_wrong_year_is_flagged():
    previous = balanced_report()
    previous.year = 2019
    assert "previous.year" in rules(check_report(balanced_report(), previous=previous))
