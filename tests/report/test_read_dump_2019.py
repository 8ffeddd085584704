"""One-line crawler dumps of 2019-format reports (平潭 style): every cell right or null.

A crawler keeps a page's text and drops its markup, so the cells of every table run
together (``规范性文件898989``, ``行政许可3960181``).  Each example draws a valid 2019-format
report, prints it with gongkai's own HTML writer, flattens that page onto one line the way
the crawler did, and reads it back: a cell may come back null (with an issue) where the
digits can be split more than one way, but never as a number the report does not hold.
"""

import html
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.report.test_read_scrambled import wrong_cells
from tests.strategies import annual_reports

from gongkai.report import taxonomy as tx
from gongkai.report.read import read_report
from gongkai.report.write import render

TABLES = ("proactive", "proactive_2019", "applications", "appeals")


def one_line_dump(report) -> str:
    """The report's page as the crawler kept it: a metadata header, then the body's text on one line."""
    page = render(report, "html").decode("utf-8")
    body = page[page.index("<body"):page.rindex("</body>")]
    body = re.sub(r"<(script|style)\b.*?</\1>", "", body, flags=re.S)
    flat = html.unescape(re.sub(r"<[^>]+>", "", body))
    flat = re.sub(r"\s*\n\s*", "", flat)
    return f"标题: {report.agency or ''}{report.year}年度政府信息公开工作年度报告\n" \
           "==================== 正文 ====================\n" + flat


def blank_cells_explained(report) -> bool:
    """Every null cell of tables 二 and 三 lies in a row that an issue names."""
    named = {i.where for i in report.issues}
    for key, row in report.applications.items():
        if row is not None and None in row.values() and f"applications.{key}" not in named:
            return False
    for key, row in report.proactive_2019.items():
        if row is not None and None in row.values() and f"proactive_2019.{key}" not in named:
            return False
    return True


quiet_prose = st.text(alphabet="本机关认真贯彻条例依法做好政府信息公开工作，。", min_size=1, max_size=30)
# Sentences of 一、总体情况 that state cells of table 二, as real reports do.
STATEMENTS = (
    ("normative_documents", "made", "本年新制作规范性文件{}件"),
    ("normative_documents", "total_published", "对外公开总数规范性文件{}件"),
    ("penalty", "decisions", "全年作出行政处罚决定{}件"),
    ("licensing", "decisions", "行政许可处理决定{}件"),
    ("centralized_procurement", "projects", "完成政府集中采购项目{}个"),
)


@st.composite
def reports_2019(draw):
    report = draw(annual_reports(formats=("2019",), consistent=True))
    report.agency = draw(st.sampled_from(("平潭综合实验区", "某某区人民政府办公室", "栖霞区南郊镇人民政府")))
    report.year = draw(st.integers(2019, 2020))
    for key in tx.PROSE_SECTIONS:
        report.sections[key] = draw(quiet_prose)
    for spec in tx.PROACTIVE_2019_LIST:
        row = report.proactive_2019[spec.key]
        for column in spec.columns:
            if row[column.key] is None:
                row[column.key] = 0  # the dumps print every cell (a blank cell would vanish from the text)
        if "change" in row:  # this year's number of items, 上一年项目数量 + 本年增/减, is never negative
            row["change"] = max(row["change"], -row["previous_items"])
    report.sync_shared_decisions()
    stated = draw(st.lists(st.sampled_from(STATEMENTS), max_size=3, unique=True))
    sentences = [pattern.format(report.proactive_2019[row][column]) for row, column, pattern in stated]
    report.sections["overview"] += "".join(f"{sentence}。" for sentence in sentences)
    return report


@pytest.mark.slow
@settings(max_examples=25)
@given(reports_2019())
def test_one_line_dump_of_a_2019_report_is_read_right_or_null(report):
    dump = one_line_dump(report)
    read = read_report(dump.encode("utf-8"), filename="dump.txt")
    truth = report.to_json()
    assert read.format == "2019"
    assert wrong_cells(read.to_json(), truth, TABLES) == [], dump
    assert blank_cells_explained(read)
