"""``gongkai ledger report|check``: stdout, stderr and exit codes."""

import json

import pytest

from gongkai.cli import main
from gongkai.report.model import AnnualReport

HEADERS = "申请编号,收到申请日期,申请人类型,办结日期,办理结果,延期工作日数,备注\r\n"
GOOD = HEADERS + (
    "GK-1,2021-09-28,自然人,2021-11-02,予以公开,,\r\n"           # due 2021-11-01: one day late
    "GK-2,2021-03-05,商业企业,2021-03-20,不予公开/保护第三方合法权益,,\r\n"
    "GK-3,2020-12-30,自然人,,,,\r\n"                               # carried over and forward
    "GK-4,2021-12-20,法律服务机构,,,,\r\n"
)


@pytest.fixture(autouse=True)
def no_user_calendar(monkeypatch):
    monkeypatch.delenv("GONGKAI_WORKDAYS_FILE", raising=False)


@pytest.fixture
def ledger(tmp_path):
    def write(text=GOOD, name="台账.csv", encoding="utf-8"):
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return str(path)

    return write


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_report_json_is_exactly_one_report_object(capsys, ledger):
    code, out, err = run(capsys, "ledger", "report", ledger(), "--year", "2021", "--agency", "某区政府办公室", "--json",
                         "--as-of", "2021-12-31")
    assert (code, err) == (0, "")
    data = json.loads(out)
    report = AnnualReport.from_json(data)
    assert (report.agency, report.year, report.format) == ("某区政府办公室", 2021, "2021")
    apps = data["applications"]
    assert apps["new"] == {"natural_person": 1, "commercial": 1, "research": 0, "social_welfare": 0,
                           "legal_service": 1, "other": 0, "total": 3}
    assert apps["carried_over"]["total"] == 1 and apps["total"]["total"] == 2 and apps["carried_forward"]["total"] == 2
    assert apps["withheld.third_party_rights"]["commercial"] == 1
    assert data["appeals"]["review"]["total"] is None
    assert data["source"]["deadlines"]["answered_late"] == 1


def test_report_text_shows_table_three_and_findings(capsys, ledger):
    code, out, _ = run(capsys, "ledger", "report", ledger(), "--year", "2021", "--as-of", "2021-12-31")
    assert code == 0
    assert "一、本年新收政府信息公开申请数量" in out and "四、结转下年度继续办理" in out
    assert "逾期答复：1 件" in out
    assert "  GK-1（第 2 行，期限 2021-11-01，逾期 1 个工作日）" in out
    assert "超期未办结：1 件" in out  # GK-3, due 2021-01-28


@pytest.mark.parametrize("cell", ["withheld.third_party_rights.commercial", "保护第三方合法权益.商业企业",
                                  "不予公开/保护第三方合法权益.commercial"])
def test_report_explains_a_cell(capsys, ledger, cell):
    code, out, _ = run(capsys, "ledger", "report", ledger(), "--year", "2021", "--explain", cell)
    assert code == 0
    assert out.splitlines() == ["表三「保护第三方合法权益」行「商业企业」列：1 件（2021 年）",
                                "  GK-2（第 3 行，收到 2021-03-05，办结 2021-03-20）"]


def test_report_explains_a_flow_row(capsys, ledger):
    code, out, _ = run(capsys, "ledger", "report", ledger(), "--year", "2021", "--explain", "carried_forward.total")
    assert code == 0
    assert [line.split("（")[0].strip() for line in out.splitlines()[1:]] == ["GK-3", "GK-4"]


@pytest.mark.parametrize("cell, message", [
    ("granted", "无法识别的单元格「granted」"),
    ("granted.company", "无法识别的单元格「granted.company」"),
    ("other.other.total", None),
])
def test_report_explain_of_an_unknown_cell(capsys, ledger, cell, message):
    code, out, err = run(capsys, "ledger", "report", ledger(), "--year", "2020", "--explain", cell)
    assert code == 2 and out == ""
    assert message is None or message in err
    if message is None:
        assert "2020 年的报告格式（2019）没有「其他」行" in err


def test_report_refuses_a_ledger_with_bad_rows(capsys, ledger):
    path = ledger(GOOD + "GK-5,2021-04-01,自然人,2021-03-01,予以公开,,\r\n")
    code, out, err = run(capsys, "ledger", "report", path, "--year", "2021", "--json")
    assert code == 1 and out == ""
    assert err == (f"gongkai: {path}: 台账有 1 处错误，无法生成 2021 年的表三；第一处：第 6 行「办结日期」列「2021-03-01」："
                   "早于收到申请日期（2021-04-01）（用 gongkai ledger check 查看全部）\n")


def test_check_clean_ledger(capsys, ledger):
    path = ledger()
    code, out, err = run(capsys, "ledger", "check", path)
    assert (code, err) == (0, "")
    assert out == f"未识别的列（已忽略）：备注\n{path}：共 4 件申请，未发现错误\n"


def test_check_lists_every_bad_row_and_exits_1(capsys, ledger):
    path = ledger(GOOD + "GK-1,2021-04-01,自然人,,,,\r\nGK-6,2021-04-31,公司,2021-05-01,,25,\r\n")
    code, out, err = run(capsys, "ledger", "check", path)
    assert code == 1 and err == ""
    assert out.splitlines() == [
        "第 2 行「申请编号」列「GK-1」：申请编号重复（另见第 6 行）",
        "第 6 行「申请编号」列「GK-1」：申请编号重复（另见第 2 行）",
        "第 7 行「收到申请日期」列「2021-04-31」：日期不存在",
        "第 7 行「申请人类型」列「公司」：无法识别的申请人类型，应为 自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他 之一（或对应的英文键）",
        "第 7 行「办理结果」列（空）：已办结（2021-05-01）但没有办理结果",
        "第 7 行「延期工作日数」列「25」：延期超过条例第三十三条规定的最长 20 个工作日",
        "未识别的列（已忽略）：备注",
        f"{path}：共 6 件申请，3 行有错误，共 6 处",
    ]


def test_check_with_a_year_needs_the_calendar_only_for_that_year(capsys, ledger):
    path = ledger(HEADERS + "GK-1,2018-05-02,自然人,2018-05-20,予以公开,,\r\n")
    assert run(capsys, "ledger", "check", path, "--year", "2021")[0] == 0
    code, out, _ = run(capsys, "ledger", "check", path)
    assert code == 1 and "没有 2018 年的节假日安排" in out


@pytest.mark.parametrize("content, encoding, message", [
    ("申请编号,收到申请日期\r\nA,2021-01-01\r\n", "utf-8", "缺少必需的列：申请人类型（applicant_type）"),
    (GOOD, "utf-16", "文件是 UTF-16 编码"),
])
def test_check_an_unreadable_file_exits_2(capsys, ledger, content, encoding, message):
    path = ledger(content, encoding=encoding)
    code, out, err = run(capsys, "ledger", "check", path)
    assert code == 2 and out == ""
    assert err.startswith(f"gongkai: {path}: ") and message in err and err.count("\n") == 1


def test_check_a_missing_file_exits_2(capsys, tmp_path):
    code, _, err = run(capsys, "ledger", "check", str(tmp_path / "nope.csv"))
    assert code == 2 and "文件不存在" in err


def test_gbk_ledger_reports_like_utf8(capsys, ledger):
    utf8 = json.loads(run(capsys, "ledger", "report", ledger(), "--year", "2021", "--json", "--as-of", "2021-12-31")[1])
    gbk = json.loads(run(capsys, "ledger", "report", ledger(name="gbk.csv", encoding="gbk"), "--year", "2021",
                         "--json", "--as-of", "2021-12-31")[1])
    assert utf8["applications"] == gbk["applications"]
