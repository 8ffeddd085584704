"""A report gongkai writes reads back to the same numbers, through every writer."""

import shutil
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from tests.strategies import annual_reports

from gongkai.report.model import AnnualReport
from gongkai.report.read import read_report
from gongkai.report.write import render

TABLES = ("applications", "appeals", "proactive", "proactive_2019")


def assert_same_tables(written, back):
    original = written.to_json()
    read = back.to_json()
    assert read["format"] == original["format"]
    for table in TABLES:
        assert read[table] == original[table], table
    if original["year"] is not None:
        assert read["year"] == original["year"]


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(report=annual_reports())
def test_written_then_read_gives_the_same_tables(fmt, report):
    assert_same_tables(report, read_report(render(report, fmt), filename=f"report.{fmt}"))


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(report=annual_reports(consistent=True))
def test_pdf_written_then_read_gives_the_same_tables_three_and_four(report):
    # A PDF's text layer has no cell for a blank number; tables 三 and 四 are drawn
    # complete here, and the blank-cell case is the deterministic test below.
    back = read_report(render(report, "pdf"), filename="report.pdf").to_json()
    for table in ("applications", "appeals"):
        assert back[table] == report.to_json()[table], table


def test_a_blank_cell_in_table_three_survives_pdf(seed_text, tmp_path):
    path = tmp_path / "seed.txt"
    path.write_text(seed_text("000"), encoding="utf-8")
    report = read_report(path)
    report.applications["granted"]["commercial"] = None
    report.applications["total"]["total"] = None
    back = read_report(render(report, "pdf"), filename="report.pdf")
    assert back.applications == report.applications


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by make test / .ci/run")
@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(report=annual_reports(consistent=True))
def test_docx_through_libreoffice_plain_text_reads_back(tmp_path_factory, report):
    folder = tmp_path_factory.mktemp("lo")
    source = folder / "report.docx"
    source.write_bytes(render(report, "docx"))
    subprocess.run(["soffice", f"-env:UserInstallation=file://{folder}/profile", "--headless",
                    "--convert-to", "txt:Text (encoded):UTF8", "--outdir", str(folder), str(source)],
                   check=True, capture_output=True, timeout=120)
    back = read_report(folder / "report.txt")
    original = report.to_json()
    for table in ("applications", "appeals"):
        assert back.to_json()[table] == original[table], table


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_a_total_ending_in_the_next_rows_number_is_not_cut(fmt, seed_text, tmp_path):
    # Found by hypothesis: 43 before "3.其他" was read as 4, the 3 taken for the numbering.
    path = tmp_path / "seed.txt"
    path.write_text(seed_text("000"), encoding="utf-8")
    report = read_report(path)
    report.applications["other.unpaid_fee"]["total"] = 43
    report.applications["withheld.third_party_rights"]["total"] = 4
    back = read_report(render(report, fmt), filename=f"report.{fmt}")
    assert back.applications["other.unpaid_fee"]["total"] == 43
    assert back.applications["withheld.third_party_rights"]["total"] == 4


def test_table_four_printed_one_row_per_block_with_blank_cells():
    # Found by hypothesis: Markdown prints table 四 as three rows of five; blanks stay blank.
    report = AnnualReport.empty("2021")
    report.appeals["litigation_after_review"]["total"] = 0
    report.appeals["review"].update(upheld=1, total=1)
    back = read_report(render(report, "md"), filename="report.md")
    assert back.appeals == report.appeals


def test_the_last_pages_number_does_not_end_the_last_section_of_a_pdf():
    # Found by bench/bench_corpus.py: the page number printed at the foot of the last page came back as
    # the last line of 六、其他需要报告的事项 ("无。\n2").
    report = AnnualReport.empty("2021", agency="栖霞区教育局", year=2022)
    report.sections = {"overview": "本年度总体情况。", "problems": "存在的主要问题。", "other": "无。"}
    back = read_report(render(report, "pdf"), filename="report.pdf")
    assert back.sections == report.sections


@pytest.mark.parametrize("text", ["单一。\n                2\f六、其他需要报告的事项", "单一。\n 2\n\n\f六、其他", "无。\n        3"])
def test_a_pages_lone_number_at_its_foot_is_page_furniture(text):
    # As the PDF reader gives a page: its number the last line, right before the form feed (or the end).
    from gongkai.report.read.text import strip_page_furniture

    stripped = strip_page_furniture(("第一页\f" if "\f" not in text else "") + text)
    assert not any(ch.isdigit() for ch in stripped) and len(stripped) == len(text) + (0 if "\f" in text else 4)
