"""Bad rows: each reported with its row number, column and value, in Chinese; none dropped."""

import pytest

from gongkai.ledger import LedgerHasErrors, check_ledger, read_ledger, report_from_ledger
from gongkai.workdays import load_calendar

ALL_HEADERS = ["申请编号", "收到申请日期", "申请人类型", "办结日期", "办理结果", "补正告知日期", "补正收到日期",
               "征求意见开始日期", "征求意见结束日期", "延期工作日数"]
GOOD = ["GK-1", "2021-03-01", "自然人", "2021-03-15", "予以公开", "", "", "", "", ""]
CALENDAR = load_calendar(use_env=False)


def row(**changes):
    values = dict(zip(ALL_HEADERS, GOOD, strict=True))
    values.update({ALL_HEADERS[[h for h in ALL_HEADERS].index(k)]: v for k, v in changes.items()})
    return [values[h] for h in ALL_HEADERS]


def errors_of(ledger_file, *rows, year=None):
    ledger = read_ledger(ledger_file(list(rows), ALL_HEADERS))
    return [str(error) for error in check_ledger(ledger, year=year, calendar=CALENDAR)]


@pytest.mark.parametrize("changes, message", [
    ({"申请编号": " "}, "第 2 行「申请编号」列（空）：申请编号为空"),
    ({"收到申请日期": ""}, "第 2 行「收到申请日期」列（空）：收到申请日期为空"),
    ({"收到申请日期": "2021-02-29"}, "第 2 行「收到申请日期」列「2021-02-29」：日期不存在"),
    ({"收到申请日期": "3/1/2021"},
     "第 2 行「收到申请日期」列「3/1/2021」：无法识别的日期，应写作 2021-03-05、2021/3/5、2021年3月5日 或 2021.3.5"),
    ({"申请人类型": "法人"},
     "第 2 行「申请人类型」列「法人」：无法识别的申请人类型，应为 自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他 之一（或对应的英文键）"),
    ({"申请人类型": ""}, "第 2 行「申请人类型」列（空）：申请人类型为空"),
    ({"办结日期": "2021-02-28"}, "第 2 行「办结日期」列「2021-02-28」：早于收到申请日期（2021-03-01）"),
    ({"办理结果": ""}, "第 2 行「办理结果」列（空）：已办结（2021-03-15）但没有办理结果"),
    ({"办结日期": ""}, "第 2 行「办结日期」列（空）：填写了办理结果，办结日期却为空"),
    ({"办理结果": "已答复"},
     "第 2 行「办理结果」列「已答复」：无法识别的办理结果，应为表三的行名（如 予以公开、本机关不掌握相关政府信息）、"
     "「组/行名」（如 不予公开/保护第三方合法权益）或行键（如 withheld.third_party_rights）"),
    ({"办理结果": "其他处理"},
     "第 2 行「办理结果」列「其他处理」：2021 年起的年度报告把（六）其他处理分为三项，请写明：逾期不补正、逾期未缴费 或 其他"),
    ({"延期工作日数": "25"}, "第 2 行「延期工作日数」列「25」：延期超过条例第三十三条规定的最长 20 个工作日"),
    ({"延期工作日数": "两天"}, "第 2 行「延期工作日数」列「两天」：应为 0—20 的整数"),
    ({"补正告知日期": "2021-02-27"}, "第 2 行「补正告知日期」列「2021-02-27」：早于收到申请日期（2021-03-01）"),
    ({"补正告知日期": "2021-03-05", "补正收到日期": "2021-03-04"},
     "第 2 行「补正收到日期」列「2021-03-04」：早于补正告知日期（2021-03-05）"),
    ({"补正收到日期": "2021-03-20"}, "第 2 行「办结日期」列「2021-03-15」：早于补正收到日期（2021-03-20）"),
    ({"征求意见开始日期": "2021-03-05", "征求意见结束日期": "2021-03-04"},
     "第 2 行「征求意见结束日期」列「2021-03-04」：早于征求意见开始日期（2021-03-05）"),
    ({"征求意见开始日期": "2021-03-05"}, "第 2 行「征求意见结束日期」列（空）：申请已办结，征求意见结束日期却为空"),
    ({"征求意见结束日期": "2021-03-05"}, "第 2 行「征求意见开始日期」列（空）：填写了征求意见结束日期，却没有开始日期"),
    ({"征求意见开始日期": "2021-03-05", "征求意见结束日期": "2021-03-16"},
     "第 2 行「办结日期」列「2021-03-15」：早于征求意见结束日期（2021-03-16）"),
    ({"收到申请日期": "2018-12-03", "办结日期": "2019-01-02"},
     "第 2 行「收到申请日期」列「2018-12-03」：无法计算答复期限：收到申请日期所在 2018 年，没有 2018 年的节假日安排"
     "（现有 2019—2026 年），无法计算工作日；国务院办公厅公布该年放假安排后，可用 --calendar 文件或环境变量 "
     "GONGKAI_WORKDAYS_FILE 补充"),
    ({"收到申请日期": "2026-12-10", "办结日期": "", "办理结果": ""},
     "第 2 行「收到申请日期」列「2026-12-10」：无法计算答复期限：答复期限落在 2027 年，没有 2027 年的节假日安排"
     "（现有 2019—2026 年），无法计算工作日；国务院办公厅公布该年放假安排后，可用 --calendar 文件或环境变量 "
     "GONGKAI_WORKDAYS_FILE 补充"),
])
def test_each_bad_row_gets_one_precise_error(ledger_file, changes, message):
    assert errors_of(ledger_file, row(**changes)) == [message]


def test_the_good_row_has_no_error(ledger_file):
    assert errors_of(ledger_file, row()) == []


def test_duplicate_ids_name_each_other(ledger_file):
    rows = [row(), row(申请编号="GK-2"), row(), row()]
    assert errors_of(ledger_file, *rows) == [
        "第 2 行「申请编号」列「GK-1」：申请编号重复（另见第 4、5 行）",
        "第 4 行「申请编号」列「GK-1」：申请编号重复（另见第 2、5 行）",
        "第 5 行「申请编号」列「GK-1」：申请编号重复（另见第 2、4 行）",
    ]


def test_every_bad_row_is_listed_not_just_the_first(ledger_file):
    rows = [row(申请编号=f"GK-{n}", 申请人类型="公司") for n in range(5)]
    errors = errors_of(ledger_file, *rows)
    assert [e.split("「")[0] for e in errors] == [f"第 {n} 行" for n in range(2, 7)]


def test_several_errors_in_one_row_are_all_listed_in_column_order(ledger_file):
    errors = errors_of(ledger_file, row(收到申请日期="2021-13-01", 申请人类型="x", 延期工作日数="30"))
    assert [e.split("列")[0] for e in errors] == ["第 2 行「收到申请日期」", "第 2 行「申请人类型」", "第 2 行「延期工作日数」"]


def test_with_a_year_only_that_years_rows_need_the_calendar(ledger_file):
    old = row(收到申请日期="2018-12-03", 办结日期="2018-12-20")
    assert errors_of(ledger_file, old, year=2021) == []
    assert len(errors_of(ledger_file, old)) == 1


def test_a_report_is_refused_while_a_row_of_its_year_is_bad(ledger_file):
    ledger = read_ledger(ledger_file([row(), row(申请编号="GK-2", 办结日期="2021-02-01")], ALL_HEADERS))
    with pytest.raises(LedgerHasErrors) as caught:
        report_from_ledger(ledger, 2021, calendar=CALENDAR)
    assert caught.value.exit_code == 1
    assert "无法生成 2021 年的表三；第一处：第 3 行「办结日期」列「2021-02-01」：早于收到申请日期（2021-03-01）" in str(caught.value)


def test_a_bad_row_of_another_year_does_not_block_the_report(ledger_file):
    old = row(申请编号="GK-0", 收到申请日期="2019-03-01", 办结日期="2019-03-05", 办理结果="无法识别")
    ledger = read_ledger(ledger_file([row(), old], ALL_HEADERS))
    result = report_from_ledger(ledger, 2021, calendar=CALENDAR)
    assert result.report.applications["new"]["total"] == 1
