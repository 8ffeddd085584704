"""``gongkai deadline`` and ``gongkai workdays``: stdout, stderr and exit codes."""

import pytest

from gongkai.cli import main


@pytest.fixture(autouse=True)
def no_user_calendar(monkeypatch):
    monkeypatch.delenv("GONGKAI_WORKDAYS_FILE", raising=False)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_deadline_prints_the_due_date_first(capsys):
    code, out, err = run(capsys, "deadline", "2021-09-28")
    assert (code, out, err) == (0, "2021-11-01\n", "")


def test_deadline_with_correction_consultations_and_extension(capsys):
    # Clock from 2022-03-01; two consultations skip 5 + 2 working days; 20 + 3 counted days.
    code, out, _ = run(capsys, "deadline", "2022-02-20", "--correction-received", "2022-03-01",
                       "--consultation", "2022-03-07", "2022-03-11", "--consultation", "2022-03-21", "2022-03-22",
                       "--extension", "3")
    assert code == 0
    # Without the second consultation and the extension it is 2022-04-06 (tests/workdays);
    # then 2 skipped and 3 more working days: 04-07, 04-08, 04-11, 04-12, 04-13.
    assert out == "2022-04-13\n"


def test_deadline_explain_walks_the_days(capsys):
    code, out, _ = run(capsys, "deadline", "2021-09-28", "--explain")
    lines = out.splitlines()
    assert code == 0 and lines[0] == "2021-11-01"
    assert "  2021-10-01 至 2021-10-07：国庆节放假，不计" in lines
    assert "  2021-10-09：第 4 个工作日（国庆节调休上班）" in lines
    assert lines[-1] == "答复期限：2021-11-01（星期一）。"


@pytest.mark.parametrize("argv, message", [
    (["deadline", "2021-09-28", "--extension", "25"],
     "延长答复期限最长不得超过 20 个工作日（条例第三十三条第二款），而不是 25 个"),
    (["deadline", "2021-09-28", "--extension", "五"], "延长的工作日数「五」应为整数"),
    (["deadline", "2021/9/28"], "收到申请日期「2021/9/28」应写作 YYYY-MM-DD，如 2021-09-28"),
    (["deadline", "2021-02-29"], "收到申请日期「2021-02-29」不是存在的日期"),
    (["deadline", "2027-03-01"], "没有 2027 年的节假日安排"),
    (["deadline", "2026-12-20"], "没有 2027 年的节假日安排"),
    (["workdays", "is-workday", "2018-06-01"], "没有 2018 年的节假日安排"),
])
def test_bad_input_is_one_chinese_line_and_exit_2(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.startswith("gongkai: ") and message in err
    assert err.count("\n") == 1 and "Traceback" not in err


@pytest.mark.parametrize("argv, expected", [
    (["workdays", "add", "1", "2021-09-30"], "2021-10-08"),
    (["workdays", "add", "2", "2021-09-30"], "2021-10-09"),   # the make-up Saturday
    (["workdays", "add", "-1", "2021-10-08"], "2021-09-30"),
    (["workdays", "add", "0", "2021-10-03"], "2021-10-03"),
    (["workdays", "add", "20", "2026-02-10"], "2026-03-16"),
])
def test_workdays_add(capsys, argv, expected):
    code, out, _ = run(capsys, *argv)
    assert (code, out) == (0, expected + "\n")


@pytest.mark.parametrize("day, code, text", [
    ("2021-10-09", 0, "2021-10-09（星期六）是工作日（国庆节调休上班）"),
    ("2021-10-08", 0, "2021-10-08（星期五）是工作日"),
    ("2021-10-01", 1, "2021-10-01（星期五）不是工作日（国庆节放假）"),
    ("2021-10-16", 1, "2021-10-16（星期六）不是工作日（周末）"),
    ("2020-02-01", 1, "2020-02-01（星期六）不是工作日（春节（延长假期）放假）"),
])
def test_is_workday_answers_with_its_exit_code(capsys, day, code, text):
    assert run(capsys, "workdays", "is-workday", day)[:2] == (code, text + "\n")


def test_a_calendar_file_adds_next_year(capsys, tmp_path):
    path = tmp_path / "2027.csv"
    path.write_text("date,kind,name\n2027-01-01,holiday,元旦\n", encoding="utf-8")
    assert run(capsys, "workdays", "is-workday", "2027-01-01", "--calendar", str(path))[:2] == \
        (1, "2027-01-01（星期五）不是工作日（元旦放假）\n")
    # From Sunday 2026-12-20: 12-21..25 (1–5), 12-28..31 (6–9), 2027-01-01 off by the file,
    # 01-04..08 (10–14), 01-11..15 (15–19), 01-18 (20).
    assert run(capsys, "deadline", "2026-12-20", "--calendar", str(path))[1].splitlines()[0] == "2027-01-18"


def test_the_environment_variable_names_calendar_files(capsys, tmp_path, monkeypatch):
    path = tmp_path / "2027.csv"
    path.write_text("2027-01-01,holiday,元旦\n", encoding="utf-8")
    monkeypatch.setenv("GONGKAI_WORKDAYS_FILE", str(path))
    assert run(capsys, "workdays", "is-workday", "2027-01-04")[:2] == (0, "2027-01-04（星期一）是工作日\n")


def test_a_bad_calendar_file_is_named(capsys, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("2027-01-01,maybe,x\n", encoding="utf-8")
    code, out, err = run(capsys, "workdays", "is-workday", "2027-01-01", "--calendar", str(path))
    assert code == 2
    assert err == f"gongkai: {path} 第 1 行：类别「maybe」应为 holiday（放假）或 makeup_workday（上班）\n"
