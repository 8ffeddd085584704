"""``gongkai deadline`` and ``gongkai workdays``: stdout, stderr and exit codes."""

from datetime import date
from pathlib import Path

import pytest
import time_machine

from gongkai.cli import main
from gongkai.workdays import load_calendar

NOTICES = Path(__file__).parents[1] / "fixtures" / "holiday-notices"
# The day the shipped calendar (2019–2026) runs out of schedules: provisional years are 2027 and 2028.
NEW_YEAR_2027 = date(2027, 1, 5)


@pytest.fixture(autouse=True)
def no_user_calendar(monkeypatch):
    monkeypatch.delenv("GONGKAI_WORKDAYS_FILE", raising=False)


@pytest.fixture(autouse=True)
def on_5_january_2027():
    assert load_calendar(use_env=False).last_year == 2026, "the shipped calendar gained 2027: move these tests on"
    with time_machine.travel(NEW_YEAR_2027):
        yield


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
    (["deadline", "2029-03-01"], "没有 2029 年的节假日安排"),
    (["deadline", "2028-12-20"], "没有 2029 年的节假日安排"),
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


PROVISIONAL_2027 = ("预计：2027 年的放假安排国务院办公厅尚未公布，按《全国年节及纪念日放假办法》（2024年修订，"
                    "国务院令第795号）规定的法定节假日和周末推算，未计调休；以国务院办公厅公布的放假安排为准")


def test_deadline_in_a_year_without_schedule_is_answered_and_marked_provisional(capsys):
    # From Monday 2026-12-28: 12-29..31 (1–3), 2027-01-01 元旦 off, 01-04..26 (4–20).
    code, out, err = run(capsys, "deadline", "2026-12-28")
    assert (code, err) == (0, "")
    assert out.splitlines() == ["2027-01-26", PROVISIONAL_2027]


def test_deadline_explain_in_a_provisional_year_marks_the_holidays(capsys):
    code, out, _ = run(capsys, "deadline", "2027-01-29", "--explain")
    lines = out.splitlines()
    # 02-01..04 (1–4), 05 除夕 and 08 初三 off, 09..12 (5–8), three weeks (9–23)… the 20th is 03-02.
    assert code == 0 and lines[0] == "2027-03-02"
    assert "  2027-02-05 至 2027-02-08：春节放假（预计），不计" in lines  # 除夕 to 初三
    assert lines[-2] == "答复期限：预计 2027-03-02（星期二）。" and lines[-1] == PROVISIONAL_2027 + "。"


@pytest.mark.parametrize("day, code, text", [
    ("2027-01-01", 1, "2027-01-01（星期五）预计不是工作日（元旦放假）"),
    ("2027-01-04", 0, "2027-01-04（星期一）预计是工作日"),
    ("2027-02-06", 1, "2027-02-06（星期六）预计不是工作日（春节放假）"),
])
def test_is_workday_in_a_provisional_year_says_so_and_why(capsys, day, code, text):
    assert run(capsys, "workdays", "is-workday", day)[:2] == (code, f"{text}\n{PROVISIONAL_2027}\n")


def test_deadline_explains_the_correction_rules(capsys):
    # Received Friday 2024-09-27: 9-29 (a 调休 Sunday), 9-30, then 国庆 to 10-07, 10-08..11 and the
    # 调休 Saturday 10-12 are its 7 working days: a notice on 10-14 is late.
    code, out, _ = run(capsys, "deadline", "2024-09-27", "--correction-requested", "2024-10-14", "--explain")
    assert code == 0
    assert "补正告知：2024-10-14（星期一），逾期告知——超过条例第三十条：收到申请之日起 7 个工作日内，" \
           "即 2024-10-12（星期六） 前（晚 2 日）。" in out
    assert "补正期限：告知之日起 15 个工作日，至 2024-11-04（星期一）" in out
    assert "补正只告知一次（条例第三十条：一次性告知）" in out


def test_import_notice_writes_a_calendar_file_the_commands_use(capsys, tmp_path):
    notice = tmp_path / "2027.txt"
    notice.write_text(GOOD_2027_NOTICE, encoding="utf-8")
    out_file = tmp_path / "2027.csv"
    code, out, err = run(capsys, "workdays", "import-notice", str(notice), "-o", str(out_file))
    assert code == 0 and err == ""
    assert "二、春节：放假 2027-02-05 至 2027-02-11（7 天）；调休上班：2027-02-14（星期日）" in out
    assert f"已写入 {out_file}" in out
    # With the file 2027 is no longer provisional: 2027-02-14 is a 调休 Sunday.
    assert run(capsys, "workdays", "is-workday", "2027-02-14", "--calendar", str(out_file))[:2] == \
        (0, "2027-02-14（星期日）是工作日（春节调休上班）\n")
    code, out, _ = run(capsys, "deadline", "2027-01-29", "--calendar", str(out_file))
    # 02-01..04 (1–4), 春节 05..11 off, 12 (5), the 调休 Sunday 14 (6), then 15..03-04 (7–20); no 预计 line.
    assert out.splitlines() == ["2027-03-04"]


def test_import_notice_reads_the_published_web_page(capsys, tmp_path):
    code, out, _ = run(capsys, "workdays", "import-notice", str(NOTICES / "2026.html"))
    assert code == 0
    assert out == (Path(__file__).parents[2] / "src/gongkai/workdays/data/cn-workdays.csv").read_text(
        encoding="utf-8").split("date,kind,name\n")[0] + "date,kind,name\n" + "".join(
        line + "\n" for line in out.splitlines() if line.startswith("2026-"))
    assert "2026-02-14,makeup_workday,春节" in out.splitlines()


def test_import_notice_refuses_what_it_cannot_read_and_writes_nothing(capsys, tmp_path):
    notice = tmp_path / "2027.txt"
    notice.write_text(GOOD_2027_NOTICE.replace("（周五）至3日", "（周四）至3日"), encoding="utf-8")
    out_file = tmp_path / "2027.csv"
    code, out, err = run(capsys, "workdays", "import-notice", str(notice), "-o", str(out_file))
    assert (code, out) == (2, "")
    assert err == f"gongkai: {notice}: 第一项（元旦）：1月1日写作“周四”，但 2027-01-01 是星期五\n"
    assert not out_file.exists()


GOOD_2027_NOTICE = """国务院办公厅关于2027年部分节假日安排的通知
（本测试自拟的 2027 年安排，格式与历年通知相同。）
一、元旦：1月1日（周五）至3日（周日）放假调休，共3天。
二、春节：2月5日（农历除夕、周五）至11日（农历正月初六、周四）放假调休，共7天。2月14日（周日）上班。
三、清明节：4月3日（周六）至5日（周一）放假，共3天。
四、劳动节：5月1日（周六）至5日（周三）放假调休，共5天。4月25日（周日）、5月8日（周六）上班。
五、端午节：6月9日（周三）放假1天，不调休。
六、中秋节：9月15日（周三）放假1天，不调休。
七、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。
"""
