"""The command line as people and scripts use it: stdout, stderr and exit codes."""

import json

import pytest
from tests.conftest import SEEDS

from gongkai.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_parse_json_of_one_file_prints_exactly_one_report_object(capsys):
    code, out, err = run(capsys, "report", "parse", str(SEEDS[0]), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["schema"] == "gongkai.annual-report/1"
    assert data["agency"] == "栖霞区人民政府办公室" and data["year"] == 2021 and data["format"] == "2021"
    assert data["applications"]["new"]["total"] == 34
    assert data["issues"] == []


def test_parse_many_files_keeps_going_past_a_bad_one(tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    code, out, err = run(capsys, "report", "parse", str(SEEDS[0]), str(bad), str(SEEDS[1]), "--json")
    assert code == 2
    lines = [json.loads(line) for line in out.splitlines()]
    assert [d["agency"] for d in lines] == ["栖霞区人民政府办公室", "梁园区人民政府办公室"]
    assert err.count("\n") == 1 and "bad.txt" in err and "空的" in err
    assert "Traceback" not in err


def test_parse_out_dir_writes_one_json_per_file(tmp_path, capsys):
    code, out, err = run(capsys, "report", "parse", *map(str, SEEDS), "--out", str(tmp_path / "out"))
    assert code == 0
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == sorted(p.stem + ".json" for p in SEEDS)


def test_check_exit_codes(tmp_path, capsys):
    assert run(capsys, "report", "check", str(SEEDS[0]))[0] == 0
    broken = tmp_path / "broken.txt"
    broken.write_text(SEEDS[0].read_text(encoding="utf-8").replace("\t34\n", "\t36\n", 1), encoding="utf-8")
    code, out, err = run(capsys, "report", "check", str(broken))
    assert code == 1
    assert "表三「总计」列" in out and "applications.total" not in out and "第一项加第二项之和(39)不等于第三项加第四项之和(37)" in out
    code, out, err = run(capsys, "report", "check", str(tmp_path / "missing.txt"))
    assert code == 2 and "不存在" in err and out == ""


def test_check_json_lists_issues(capsys):
    code, out, err = run(capsys, "report", "check", str(SEEDS[4]), "--json")
    data = json.loads(out)
    assert code == 0 and data["errors"] == 0
    assert [i["rule"] for i in data["issues"]] == ["text.other_agency"]


def test_check_against_the_previous_years_report(tmp_path, capsys):
    last_year = tmp_path / "2020.txt"
    last_year.write_text(SEEDS[0].read_text(encoding="utf-8").replace("2021", "2020"), encoding="utf-8")
    # last year's 结转下年度 is 0 and 2; this year's 上年结转 is 3 and 0
    code, out, err = run(capsys, "report", "check", str(SEEDS[0]), "--previous", str(last_year))
    assert code == 1
    assert "表三「自然人」列：本年「上年结转」为3件" in out and "applications.carried_over" not in out
    assert "上年报告「结转下年度继续办理」为0件" in out


def test_pre_2019_report_exits_2_with_one_line(tmp_path, capsys):
    old = tmp_path / "2018.txt"
    old.write_text("某区2018年政府信息公开工作年度报告\n政府信息公开情况统计表\n指标名称\t计量单位\t本年度\n"
                   "主动公开政府信息数\t条\t120\n", encoding="utf-8")
    code, out, err = run(capsys, "report", "parse", str(old), "--json")
    assert code == 2 and out == ""
    assert err.strip().count("\n") == 0 and "2019年以前的旧格式" in err


def test_render_a_published_report_to_every_format(tmp_path, capsys):
    for fmt in ("json", "md", "html", "docx", "pdf"):
        target = tmp_path / f"out.{fmt}"
        code, out, err = run(capsys, "report", "render", str(SEEDS[3]), "--to", fmt, "-o", str(target))
        assert code == 0 and target.stat().st_size > 0
        again = json.loads(main_json(capsys, target))
        assert again["applications"]["new"]["total"] == 72
        assert again["appeals"]["litigation_direct"]["total"] == 2


def main_json(capsys, path):
    code, out, err = run(capsys, "report", "parse", str(path), "--json")
    assert code == 0, err
    return out


def test_render_refuses_an_unreadable_input(tmp_path, capsys):
    bad = tmp_path / "x.json"
    bad.write_text('{"schema": "other"}', encoding="utf-8")
    code, out, err = run(capsys, "report", "render", str(bad), "--to", "html", "-o", str(tmp_path / "o.html"))
    assert code == 2 and "schema" in err and not (tmp_path / "o.html").exists()


def test_progress_bar_only_on_a_terminal(tmp_path, capsys, monkeypatch):
    import sys

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    code, out, err = run(capsys, "report", "parse", *map(str, SEEDS), "--out", str(tmp_path))
    assert code == 0 and f"{len(SEEDS)}/{len(SEEDS)}" in err and "#" in err
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    code, out, err = run(capsys, "report", "parse", *map(str, SEEDS), "--out", str(tmp_path))
    assert err == ""


# ---------------------------------------------------------------- images and scans that hold no report

def _notice_pdf() -> bytes:
    from gongkai.report.write.pdf import html_to_pdf

    return html_to_pdf("<html><body><h1>关于召开年度工作会议的通知</h1><p>各科室：定于下周一上午九时召开会议，"
                       "请准时参加。</p><p>联系电话：12345678</p></body></html>")


def _blank_page():
    from PIL import Image

    return Image.new("L", (800, 1100), 255)


def _no_report_files():
    from tests.report.scans import as_file, as_pdf, page_images

    notice = page_images(_notice_pdf(), 150)
    return {
        "blank.png": (as_file([_blank_page()], "PNG"), "图片中没有识别出文字"),
        "notice.jpg": (as_file(notice, "JPEG"), "不是政府信息公开工作年度报告"),
        "notice-scan.pdf": (as_pdf(notice, 150), "扫描页经文字识别后"),
        "blank-scan.pdf": (as_pdf([_blank_page()], 150), "没有可读的文字"),
        "photo.png": (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "图片"),
    }


@pytest.mark.slow
def test_parse_refuses_images_and_scans_that_hold_no_report_in_one_line_each(tmp_path, capsys):
    files = _no_report_files()
    for name, (data, _) in files.items():
        (tmp_path / name).write_bytes(data)
    code, out, err = run(capsys, "report", "parse", *(str(tmp_path / name) for name in files), "--json")
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert len(lines) == len(files) and "Traceback" not in err
    for name, (_, reason) in files.items():
        (line,) = [line for line in lines if name in line]
        assert reason in line, line
