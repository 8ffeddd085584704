"""The command line's own behaviour: what it imports, its Chinese messages, files it cannot write."""

import json
import subprocess
import sys

import pytest
from tests.conftest import SEEDS

from gongkai.cli import COMMANDS, build_parser, main


def run(capsys, *argv):
    try:
        code = main(list(argv))
    except SystemExit as exit_:  # argparse ends usage errors and --help with SystemExit
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


def imported_after(*argv) -> set[str]:
    code = ("import sys; from gongkai.cli import main\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "print(' '.join(sorted(sys.modules)), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, timeout=120)
    return set(done.stderr.split()[-1000:]) if done.stderr else set()


HEAVY = {"django", "pyarrow", "numpy", "pdfplumber", "pdfminer", "lxml", "docx", "openpyxl"}


def test_report_parse_imports_neither_the_ledger_nor_django_nor_the_pdf_stack():
    modules = imported_after("report", "parse", str(SEEDS[0]), "--json")
    assert "gongkai.report.read" in modules
    assert not {m.split(".")[0] for m in modules} & HEAVY
    assert "gongkai.ledger" not in modules


def test_top_level_help_lists_every_command_without_importing_them(capsys):
    code, out, err = run(capsys, "--help")
    assert code == 0
    for name, (_modules, help_text) in COMMANDS.items():
        assert name in out and help_text in out
    modules = imported_after("--help")
    assert not {m for m in modules if m.startswith("gongkai.cli.") and m not in ("gongkai.cli.errors",
                                                                                   "gongkai.cli.parser")}


def test_every_command_registers_and_answers_its_own_help(capsys):
    parser = build_parser(every=True)
    for name in COMMANDS:
        code, out, err = run(capsys, name, "--help")
        assert code == 0 and out.startswith("用法：gongkai " + name), name
    assert parser.parse_args(["ledger", "export", "--agency", "某局", "--year", "2021", "-o", "x.csv"]).handler


@pytest.mark.parametrize(("argv", "message"), [
    (["report", "parse"], "缺少必需的参数：FILE"),
    (["report", "parse", "a.txt", "--bogus"], "无法识别的参数：--bogus"),
    (["bogus"], "无效的选项 'bogus'"),
    (["report", "render", "a.txt", "--to", "odt", "-o", "x"], "参数 --to：无效的选项 'odt'"),
    (["ledger", "report", "a.csv", "--year", "abc"], "参数 --year：'abc' 不是有效的整数"),
    (["report", "parse", "a.txt", "--out"], "参数 --out：需要一个值"),
])
def test_usage_errors_are_chinese_and_exit_2(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert err.startswith("用法：gongkai")
    last = err.strip().splitlines()[-1]
    assert last.startswith("gongkai") and "：错误：" in last and message in last
    assert "usage:" not in err and "error:" not in err


def test_help_headings_are_chinese(capsys):
    code, out, err = run(capsys, "report", "parse", "--help")
    assert code == 0
    assert out.startswith("用法：") and "\n位置参数：\n" in out and "\n选项：\n" in out and "显示此帮助信息并退出" in out
    assert not [english for english in ("usage:", "positional arguments", "options:", "show this help")
                if english in out]


def test_render_to_a_missing_directory_is_one_chinese_line_naming_the_path(capsys):
    code, out, err = run(capsys, "report", "render", str(SEEDS[0]), "--to", "pdf", "-o", "/nonexistent/x.pdf")
    assert code == 2
    assert err.count("\n") == 1 and "/nonexistent/x.pdf" in err and "无法写入" in err
    assert "Traceback" not in err and "No such file" not in err


@pytest.mark.parametrize("out_dir", ["/proc/x", "/proc/self"])
def test_parse_out_into_a_place_that_cannot_hold_files_is_one_chinese_line(capsys, out_dir):
    code, out, err = run(capsys, "report", "parse", str(SEEDS[0]), "--out", out_dir)
    assert code == 2
    assert err.count("\n") == 1 and out_dir in err and "无法" in err
    assert "Traceback" not in err


def test_many_files_read_in_parallel_come_out_in_the_order_given(capsys):
    files = [str(path) for path in SEEDS] * 3
    code, out, err = run(capsys, "report", "parse", *files, "--json")
    assert code == 0
    agencies = [json.loads(line)["agency"] for line in out.splitlines()]
    single = [json.loads(run(capsys, "report", "parse", path, "--json")[1])["agency"] for path in files]
    assert agencies == single
