"""Writers: every official label and number lands in the right cell, in every format.

Tables are checked by their labels, never by position alone: the HTML and DOCX grids are
expanded (merged cells repeated over the area they cover) and a value is looked up as
"the cell in the row labelled X under the column labelled Y".
"""

from __future__ import annotations

import io
import os
import re
import shutil
import stat
import subprocess

import docx
import lxml.html
import pdfplumber
import pytest
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from markdown_it import MarkdownIt
from pdfminer.pdftypes import resolve1

from gongkai.report import taxonomy as tx
from gongkai.report.errors import ReportError
from gongkai.report.model import AnnualReport
from gongkai.report.write import (
    FORMATS,
    OutputNotWritable,
    UnsupportedOutputFormat,
    format_for_path,
    render,
    write_file,
)
from gongkai.report.write.layout import (
    APPLICANT_HEADER,
    CONTENT_HEADER,
    ISSUES_HEADING,
    appeals_grid,
    applications_grid,
    article_item,
    document_title,
    paragraphs,
    proactive_grid,
    section_heading,
)
from strategies import annual_reports

XSS = "<script>alert(1)</script>"
HEADINGS = [section_heading(section) for section in tx.SECTION_LIST]
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ---------------------------------------------------------------- example reports

def example_report(fmt: str = "2021", *, single_other: bool | None = None) -> AnnualReport:
    """Every number distinct (so a misplaced one shows), every fifth one null."""
    report = AnnualReport.empty(fmt, single_other=single_other, agency=f"栖霞区{XSS}人民政府办公室",
                                year=2021 if fmt == "2021" else 2020)
    counter = iter(range(1, 10_000))

    def next_value(*, decimal: bool = False):
        n = next(counter)
        if n % 5 == 0:
            return None
        return n + 0.25 if decimal else n

    for key in report.application_row_keys():
        report.applications[key] = {column: next_value() for column in tx.APPLICANT_COLUMN_KEYS}
    for block in tx.APPEAL_BLOCK_KEYS:
        report.appeals[block] = {column: next_value() for column in tx.APPEAL_COLUMN_KEYS}
    rows = tx.PROACTIVE_2021_LIST if fmt == "2021" else tx.PROACTIVE_2019_LIST
    target = report.proactive if fmt == "2021" else report.proactive_2019
    for spec in rows:
        target[spec.key] = {c.key: next_value(decimal=c.key in spec.decimal) for c in spec.columns}
    if fmt == "2019":
        report.proactive_2019["licensing"]["change"] = -185  # 本年增/减 may be negative
        report.sync_shared_decisions()
    report.sections.update(
        overview=f"一、总体情况\n本机关依法公开政府信息。{XSS}\n\n第二段：A&B <b>加粗</b> | 管道 *星号*",
        problems="存在的问题：公开内容不够全面。",
        other="本机关未收取信息处理费。",
    )
    report.add_issue("applications.balance", "error", "applications.natural_person", "第一项加第二项之和不等于第三项加第四项之和")
    return report


EXAMPLES = {
    "2021": example_report("2021"),
    "2021-single-other": example_report("2021", single_other=True),
    "2019": example_report("2019"),
}


def text_of(value) -> str:
    """How a value must print, worked out independently of the writers."""
    if value is None:
        return ""
    if isinstance(value, float) and not value.is_integer():
        return repr(value)  # the amounts used here have short exact forms
    return str(int(value))


def assert_prints(text: str, value, where: str) -> None:
    if value is None:
        assert text == "", f"{where}: null printed as {text!r}"
    elif isinstance(value, float):
        assert "e" not in text.lower() and float(text) == value, f"{where}: {text!r} != {value!r}"
    else:
        assert text == str(value), f"{where}: {text!r} != {value!r}"


# ---------------------------------------------------------------- reading grids back by label

def html_matrix(table) -> list[list[str]]:
    """An HTML table with every merged cell repeated over the positions it covers."""
    cells: dict[tuple[int, int], str] = {}
    for r, tr in enumerate(table.iter("tr")):
        c = 0
        for cell in tr:
            while (r, c) in cells:
                c += 1
            rowspan, colspan = int(cell.get("rowspan", 1)), int(cell.get("colspan", 1))
            for dr in range(rowspan):
                for dc in range(colspan):
                    cells[(r + dr, c + dc)] = cell.text_content().strip()
            c += colspan
    height = 1 + max(r for r, _ in cells)
    width = 1 + max(c for _, c in cells)
    assert len(cells) == height * width, "the table's spans leave holes or overlap"
    return [[cells[(r, c)] for c in range(width)] for r in range(height)]


def docx_matrix(table) -> list[list[str]]:
    # python-docx repeats a merged cell at every grid position it covers, like html_matrix.
    return [[cell.text for cell in row.cells] for row in table.rows]


def application_cell(matrix, row_key: str, column_key: str) -> str:
    row = tx.APPLICATION_ROWS[row_key]
    column = tx.APPLICANT_COLUMNS[column_key].label
    labels = 3
    (r,) = [i for i, cells in enumerate(matrix[3:], start=3)
            if row.label in cells[:labels] and (not row.group or row.group in cells[:labels])]
    (c,) = [j for j in range(labels, len(matrix[0])) if any(matrix[h][j] == column for h in range(3))]
    return matrix[r][c]


def appeal_cell(matrix, block_key: str, column_key: str) -> str:
    block = tx.APPEAL_BLOCKS[block_key]
    column = tx.APPEAL_COLUMNS[column_key].label
    (c,) = [j for j in range(len(matrix[0]))
            if (matrix[0][j] == block.label or (matrix[0][j] == block.parent and matrix[1][j] == block.label))
            and matrix[2][j] == column]
    return matrix[3][c]


def proactive_cell(matrix, row_key: str, column_key: str, fmt: str) -> str:
    spec = (tx.PROACTIVE_2021 if fmt == "2021" else tx.PROACTIVE_2019)[row_key]
    column = {c.key: c.label for c in spec.columns}[column_key]
    (r,) = [i for i, cells in enumerate(matrix) if cells[0] == spec.label]
    header = max(i for i in range(r) if matrix[i][0] == CONTENT_HEADER)
    assert matrix[header - 1][0] == article_item(spec.item)
    c = matrix[header].index(column)
    return matrix[r][c]


def assert_tables(report: AnnualReport, proactive, applications, appeals) -> None:
    """Every number of the report in its labelled cell of the three table matrices."""
    for key in report.application_row_keys():
        for column in tx.APPLICANT_COLUMN_KEYS:
            assert_prints(application_cell(applications, key, column), report.applications[key][column],
                          f"applications.{key}.{column}")
    for block in tx.APPEAL_BLOCK_KEYS:
        for column in tx.APPEAL_COLUMN_KEYS:
            assert_prints(appeal_cell(appeals, block, column), report.appeals[block][column],
                          f"appeals.{block}.{column}")
    rows = report.proactive if report.format == "2021" else report.proactive_2019
    for key, values in rows.items():
        for column, value in values.items():
            assert_prints(proactive_cell(proactive, key, column, report.format), value, f"proactive.{key}.{column}")


# ---------------------------------------------------------------- the shared strategy

@PROPERTY
@given(annual_reports(with_issues=True))
def test_strategy_draws_valid_report_json(report):
    assert AnnualReport.from_json(report.to_json()) == report


@PROPERTY
@given(annual_reports(consistent=True))
def test_strategy_consistent_reports_pass_every_check(report):
    from gongkai.report.checks import check_report

    assert [issue for issue in check_report(report) if issue.severity == "error"] == []


# ---------------------------------------------------------------- the API

def test_formats_and_suffixes():
    assert FORMATS == ("json", "md", "html", "docx", "pdf")
    assert [format_for_path(f"r{s}") for s in (".json", ".MD", ".markdown", ".htm", ".html", ".docx", ".pdf")] == [
        "json", "md", "md", "html", "html", "docx", "pdf"]
    with pytest.raises(UnsupportedOutputFormat, match="判断输出格式"):
        format_for_path("report.txt")


def test_unknown_format_is_a_clear_error():
    with pytest.raises(UnsupportedOutputFormat) as caught:
        render(EXAMPLES["2021"], "xlsx")
    assert isinstance(caught.value, ReportError) and isinstance(caught.value, ValueError)
    assert "xlsx" in str(caught.value)


def test_json_is_the_report_json():
    report = EXAMPLES["2019"]
    data = render(report, "json")
    assert data == report.dumps().encode("utf-8")
    assert AnnualReport.loads(data.decode("utf-8")) == report


def test_write_file_picks_format_from_suffix(tmp_path):
    report = EXAMPLES["2021"]
    for name in ("r.json", "r.md", "r.htm"):
        path = write_file(report, tmp_path / name)
        assert path.read_bytes() == render(report, format_for_path(name))
    # A DOCX carries its creation time, so compare what it says rather than its bytes.
    written = docx.Document(write_file(report, tmp_path / "r.docx"))
    assert [p.text for p in written.paragraphs] == [p.text for p in open_docx(report).paragraphs]
    assert write_file(report, tmp_path / "r.txt", "md").read_bytes() == render(report, "md")


def test_write_file_leaves_existing_file_alone_on_error(tmp_path):
    target = tmp_path / "report.md"
    target.write_text("旧内容", encoding="utf-8")
    with pytest.raises(UnsupportedOutputFormat):
        write_file(EXAMPLES["2021"], target, "odt")
    assert target.read_text(encoding="utf-8") == "旧内容"
    assert os.listdir(tmp_path) == ["report.md"]  # no temporary file left behind


def test_write_file_into_missing_directory_is_a_clear_error(tmp_path):
    target = tmp_path / "无此目录" / "report.md"
    with pytest.raises(OutputNotWritable) as caught:
        write_file(EXAMPLES["2021"], target)
    assert str(caught.value) == f"{target}: 无法写入文件：所在目录不存在或不允许在此创建"


def test_write_file_gets_normal_permissions(tmp_path):
    plain = tmp_path / "plain"
    plain.write_text("x")
    written = write_file(EXAMPLES["2021"], tmp_path / "r.md")
    assert stat.S_IMODE(written.stat().st_mode) == stat.S_IMODE(plain.stat().st_mode)


def test_control_characters_are_dropped_not_fatal():
    report = example_report()
    report.agency = "某\x00局\x0b"
    report.sections["other"] = "第一\x1f段\x07"
    document = docx.Document(io.BytesIO(render(report, "docx")))
    assert document.paragraphs[0].text == "某局2021年政府信息公开工作年度报告"
    assert "第一段" in [p.text for p in document.paragraphs]
    assert "\x00" not in render(report, "html").decode() and "\x00" not in render(report, "md").decode()


# ---------------------------------------------------------------- Markdown

def markdown_to_tree(text: str):
    return lxml.html.fromstring(MarkdownIt("commonmark").enable("table").render(text))


def markdown_tables(tree) -> list[list[list[str]]]:
    return [[[cell.text_content().strip() for cell in tr] for tr in table.iter("tr")] for table in tree.iter("table")]


def test_markdown_layout():
    report = EXAMPLES["2021"]
    text = render(report, "md").decode("utf-8")
    lines = text.splitlines()
    assert lines[0] == f"# 栖霞区\\<script\\>alert(1)\\</script\\>人民政府办公室2021年{'政府信息公开工作年度报告'}"
    assert [line[3:] for line in lines if line.startswith("## ")] == HEADINGS
    assert f"| {tx.BALANCE_NOTE} | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |" in lines
    # A group label goes in front of each of its rows; null stays blank.
    assert "| （三）不予公开 1.属于国家秘密 | 29 |  | 31 | 32 | 33 | 34 |  |" in lines
    assert "| 行政诉讼 未经复议直接起诉 | 181 | 182 | 183 | 184 |  |" in lines
    assert "| 行政事业性收费 |  |" in lines
    assert "第二十条第（八）项" in lines
    assert "None" not in text
    assert ISSUES_HEADING not in text


def test_markdown_issues_only_when_asked():
    text = render(EXAMPLES["2021"], "md", include_issues=True).decode("utf-8")
    # the place as printed (表三「自然人」列), never the key applications.natural_person
    assert text.splitlines()[-1] == "- 【错误】表三「自然人」列：第一项加第二项之和不等于第三项加第四项之和"
    assert f"## {ISSUES_HEADING}" in text


def test_markdown_2019_format():
    report = EXAMPLES["2019"]
    lines = render(report, "md").decode("utf-8").splitlines()
    assert "| 信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |" in lines
    assert "| 信息内容 | 采购项目数量 | 采购总金额 |" in lines
    assert any(line.startswith("| 行政许可 | ") and "| -185 |" in line for line in lines)
    assert any(line.startswith("| （六）其他处理 | ") for line in lines)
    assert not any("逾期不补正" in line for line in lines)


def test_markdown_escapes_markup():
    report = EXAMPLES["2021"]
    tree = markdown_to_tree(render(report, "md").decode("utf-8"))
    assert not tree.xpath("//script | //b | //em | //strong")
    assert tree.xpath("//h1")[0].text_content() == document_title(report)
    expected = paragraphs(report.sections["overview"], HEADINGS[0])
    assert [p.text_content() for p in tree.xpath("//h2[1]/following-sibling::p[position() <= 2]")] == expected


@PROPERTY
@given(annual_reports())
def test_markdown_reads_back_by_label(report):
    text = render(report, "md").decode("utf-8")
    tree = markdown_to_tree(text)
    assert not tree.xpath("//script | //ul | //ol | //blockquote | //pre | //a")
    tables = markdown_tables(tree)
    by_label = {rows[i][0]: (rows[0], rows[i]) for rows in tables for i in range(1, len(rows))}

    def cell(label, column):
        header, row = by_label[label]
        return row[header.index(column)]

    for key in report.application_row_keys():
        row = tx.APPLICATION_ROWS[key]
        for column in tx.APPLICANT_COLUMN_LIST:
            assert_prints(cell(row.full_label, column.label), report.applications[key][column.key], key)
    for block in tx.APPEAL_BLOCK_LIST:
        for column in tx.APPEAL_COLUMN_LIST:
            assert_prints(cell(f"{block.parent} {block.label}".strip(), column.label),
                          report.appeals[block.key][column.key], block.key)
    rows = report.proactive if report.format == "2021" else report.proactive_2019
    for spec in tx.proactive_rows(report.format):
        for column in spec.columns:
            assert_prints(cell(spec.label, column.label), rows[spec.key][column.key], spec.key)
    prose = [p.text_content() for p in tree.xpath("//p")]
    for section in tx.PROSE_SECTIONS:
        for paragraph in paragraphs(report.sections[section], section_heading(tx.SECTIONS[section])):
            assert paragraph in prose


# ---------------------------------------------------------------- HTML

def html_tree(report: AnnualReport, **options):
    return lxml.html.fromstring(render(report, "html", **options))


def html_tables(tree) -> dict:
    return {table.get("data-table"): table for table in tree.iter("table")}


def test_html_document_outline():
    report = EXAMPLES["2021"]
    tree = html_tree(report)
    assert tree.xpath("string(//title)") == tree.xpath("string(//h1)") == document_title(report)
    assert [h.text_content() for h in tree.iter("h2")] == HEADINGS
    assert [s.get("id") for s in tree.iter("section")] == [s.key for s in tx.SECTION_LIST]
    assert tree.xpath("string(//section[@id='problems']/p)") == report.sections["problems"]
    assert ISSUES_HEADING not in tree.text_content()
    with_issues = html_tree(report, include_issues=True)
    assert "第一项加第二项之和不等于第三项加第四项之和" in with_issues.xpath("string(//section[@id='issues']//li)")


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_html_cells_by_label(name):
    report = EXAMPLES[name]
    tables = html_tables(html_tree(report))
    matrices = {key: html_matrix(table) for key, table in tables.items()}
    assert_tables(report, matrices["proactive"], matrices["applications"], matrices["appeals"])


def test_html_example_cells():
    tables = html_tables(html_tree(EXAMPLES["2021"]))
    applications = html_matrix(tables["applications"])
    # Under 自然人 in the 予以公开 row: the 15th number of the example, which is null.
    assert application_cell(applications, "granted", "natural_person") == ""
    assert application_cell(applications, "granted", "commercial") == "16"
    assert application_cell(applications, "withheld.third_party_rights", "legal_service") == "54"
    assert appeal_cell(html_matrix(tables["appeals"]), "litigation_after_review", "upheld") == "186"


def test_html_merged_headers_match_the_official_table():
    tree = html_tree(EXAMPLES["2021"])
    tables = html_tables(tree)
    applications = tables["applications"]

    def span(table, text):
        (cell,) = [c for c in table.iter("th") if c.text_content() == text]
        return int(cell.get("rowspan", 1)), int(cell.get("colspan", 1))

    assert span(applications, tx.BALANCE_NOTE) == (3, 3)
    assert span(applications, APPLICANT_HEADER) == (1, 7)
    assert span(applications, "自然人") == (2, 1)
    assert span(applications, tx.LEGAL_PERSON_GROUP) == (1, 5)
    assert span(applications, "总计") == (2, 1)
    assert span(applications, tx.RESULTS_HEADING) == (22, 1)
    assert span(applications, "（三）不予公开") == (8, 1)
    assert span(applications, "（四）无法提供") == (3, 1)
    assert span(applications, "（五）不予处理") == (5, 1)
    assert span(applications, "（六）其他处理") == (3, 1)
    assert span(applications, "（七）总计") == (1, 2)
    assert span(applications, "四、结转下年度继续办理") == (1, 3)
    matrix = html_matrix(applications)
    assert matrix[2][3:] == [c.label for c in tx.APPLICANT_COLUMN_LIST]
    assert len(matrix) == 3 + 25 and all(len(row) == 10 for row in matrix)
    assert len(applications.xpath("thead/tr")) == 3  # repeated on every printed page

    appeals = tables["appeals"]
    assert span(appeals, "行政复议") == (1, 5)
    assert span(appeals, "行政诉讼") == (1, 10)
    assert span(appeals, "未经复议直接起诉") == (1, 5)
    assert span(appeals, "复议后起诉") == (1, 5)
    matrix = html_matrix(appeals)
    assert matrix[1][:5] == matrix[2][:5] == [c.label for c in tx.APPEAL_COLUMN_LIST]
    assert matrix[2][5:] == [c.label for c in tx.APPEAL_COLUMN_LIST] * 2

    proactive = html_matrix(tables["proactive"])
    assert [row[0] for row in proactive if row[0].startswith("第二十条")] == [
        "第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项"]
    assert proactive[1] == ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    assert proactive[5] == ["信息内容"] + ["本年处理决定数量"] * 3


def test_html_single_other_row():
    tables = html_tables(html_tree(EXAMPLES["2021-single-other"]))
    (cell,) = [c for c in tables["applications"].iter("th") if c.text_content() == "（六）其他处理"]
    assert (cell.get("rowspan"), cell.get("colspan")) == (None, "2")
    assert "逾期不补正" not in tables["applications"].text_content()
    (results,) = [c for c in tables["applications"].iter("th") if c.text_content() == tx.RESULTS_HEADING]
    assert results.get("rowspan") == "20"


def test_html_2019_proactive_blocks():
    matrix = html_matrix(html_tables(html_tree(EXAMPLES["2019"]))["proactive"])
    items = [row[0] for row in matrix if row[0].startswith("第二十条")]
    assert items == [article_item(i) for i in ("（一）", "（五）", "（六）", "（八）", "（九）")]
    assert ["信息内容", "采购项目数量", "采购总金额", "采购总金额"] in matrix
    assert proactive_cell(matrix, "licensing", "change", "2019") == "-185"


def test_html_escapes_report_text():
    report = example_report()
    report.agency = XSS + '"><img src=x onerror=alert(1)>'
    report.sections["problems"] = XSS + "</p><script>alert(2)</script>"
    report.add_issue("x", "warning", XSS, XSS)
    raw = render(report, "html", include_issues=True).decode("utf-8")
    assert "<script" not in raw and "<img" not in raw
    tree = lxml.html.fromstring(raw)
    assert not tree.xpath("//script | //img | //*[@onerror]")
    assert XSS in tree.xpath("string(//h1)")
    assert tree.xpath("string(//section[@id='problems']/p)") == report.sections["problems"]


def test_html_is_printable_and_self_contained():
    raw = render(EXAMPLES["2021"], "html").decode("utf-8")
    style = lxml.html.fromstring(raw).xpath("string(//style)")
    assert "size: A4" in style and "@page" in style and "border-collapse: collapse" in style
    for font in ('"Noto Serif CJK SC"', '"Noto Sans CJK SC"', '"Source Han Serif SC"', '"SimSun"'):
        assert font in style
    for external in ("http://", "https://", "<link", "<script", "@import", "url("):
        assert external not in raw


@PROPERTY
@given(annual_reports())
def test_html_reads_back_by_label(report):
    tree = html_tree(report, include_issues=True)
    assert not tree.xpath("//script")
    assert tree.xpath("string(//h1)") == document_title(report)
    tables = html_tables(tree)
    assert_tables(report, *(html_matrix(tables[key]) for key in ("proactive", "applications", "appeals")))
    prose = [p.text_content() for p in tree.xpath("//section/p")]
    for section in tx.PROSE_SECTIONS:
        for paragraph in paragraphs(report.sections[section], section_heading(tx.SECTIONS[section])):
            assert paragraph in prose


# ---------------------------------------------------------------- DOCX

def open_docx(report: AnnualReport, **options):
    return docx.Document(io.BytesIO(render(report, "docx", **options)))


def east_asia_font(style) -> str:
    return style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_docx_cells_by_label(name):
    report = EXAMPLES[name]
    proactive, applications, appeals = (docx_matrix(t) for t in open_docx(report).tables)
    assert_tables(report, proactive, applications, appeals)


def test_docx_merges_match_the_official_table():
    document = open_docx(EXAMPLES["2021"])
    proactive, applications, appeals = document.tables
    assert (len(applications.rows), len(applications.columns)) == (28, 10)

    def same(table, a, b):
        return table.cell(*a)._tc is table.cell(*b)._tc

    assert same(applications, (0, 0), (2, 2))  # the corner note, 3 × 3
    assert same(applications, (0, 3), (0, 9))  # 申请人情况
    assert same(applications, (1, 3), (2, 3)) and same(applications, (1, 9), (2, 9))  # 自然人, 总计
    assert same(applications, (1, 4), (1, 8)) and not same(applications, (2, 4), (2, 5))  # 法人或其他组织
    assert same(applications, (5, 0), (26, 0)) and not same(applications, (4, 0), (5, 0))  # 三、本年度办理结果
    assert same(applications, (7, 1), (14, 1)) and not same(applications, (7, 1), (15, 1))  # （三）不予公开
    assert same(applications, (5, 1), (5, 2)) and same(applications, (27, 0), (27, 2))
    assert not same(applications, (7, 2), (8, 2))
    assert applications.cell(5, 0).text == tx.RESULTS_HEADING
    assert applications.cell(10, 1).text == "（三）不予公开"
    assert same(appeals, (0, 0), (0, 4)) and same(appeals, (0, 5), (0, 14))
    assert same(appeals, (1, 0), (2, 0)) and same(appeals, (1, 5), (1, 9)) and not same(appeals, (2, 5), (2, 6))
    assert same(proactive, (0, 0), (0, 3)) and same(proactive, (5, 1), (5, 3))
    # Header rows repeat on every page.
    assert [row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None
            for row in applications.rows][:4] == [True, True, True, False]


def test_docx_outline_fonts_and_page():
    report = EXAMPLES["2021"]
    document = open_docx(report)
    paragraphs_ = document.paragraphs
    assert paragraphs_[0].text == document_title(report) and paragraphs_[0].style.name == "Title"
    assert [p.text for p in paragraphs_ if p.style.name == "Heading 1"] == HEADINGS
    texts = [p.text for p in paragraphs_]
    assert paragraphs(report.sections["overview"], HEADINGS[0]) == texts[2:4]
    assert ISSUES_HEADING not in texts
    styles = document.styles
    assert east_asia_font(styles["Heading 1"]) == "黑体"
    assert east_asia_font(styles["报告正文"]) == "仿宋"
    assert east_asia_font(styles["Normal"]) == "宋体"  # table cells
    for style in (styles["Heading 1"], styles["Title"], styles["Normal"]):
        fonts = style.element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsiaTheme")) is None  # a theme font would win over the name
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    with_issues = open_docx(report, include_issues=True)
    assert ISSUES_HEADING in [p.text for p in with_issues.paragraphs]


@PROPERTY
@given(annual_reports())
def test_docx_reads_back_by_label(report):
    document = open_docx(report)
    assert document.paragraphs[0].text == document_title(report)
    assert_tables(report, *(docx_matrix(t) for t in document.tables))
    texts = {p.text for p in document.paragraphs}
    for section in tx.PROSE_SECTIONS:
        for paragraph in paragraphs(report.sections[section], section_heading(tx.SECTIONS[section])):
            assert paragraph in texts


# ---------------------------------------------------------------- LibreOffice

def value_texts_in_order(report: AnnualReport) -> list[str]:
    """Every printed cell of the three tables, row by row, as LibreOffice exports them."""
    grids = (proactive_grid(report.format), applications_grid(report.format, report.single_other), appeals_grid())
    texts = []
    for grid in grids:
        for _, _, cell in sorted(grid.placed(), key=lambda placed: placed[:2]):
            if cell.source is not None:
                table, row, column = cell.source
                texts.append(text_of((getattr(report, table)[row] or {}).get(column)))
    return texts


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("name", ["2021", "2019"])
def test_libreoffice_opens_docx_with_numbers_in_row_order(tmp_path, name):
    report = EXAMPLES[name]
    source = tmp_path / "report.docx"
    write_file(report, source)
    # A private profile, so parallel runs do not fight over LibreOffice's lock.
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
         "--convert-to", "txt:Text", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )
    lines = [line.strip() for line in (tmp_path / "report.txt").read_text(encoding="utf-8-sig").splitlines()]
    assert lines[0] == document_title(report)
    numbers = [line for line in lines if re.fullmatch(r"-?\d+(\.\d+)?", line)]
    assert numbers == [text for text in value_texts_in_order(report) if text]
    # One line per cell: a row label is followed by its seven cells, null ones blank.
    at = lines.index("1.属于国家秘密")
    expected = [text_of(report.applications["withheld.state_secret"][c]) for c in tx.APPLICANT_COLUMN_KEYS]
    assert lines[at + 1: at + 8] == expected and "" in expected
    for heading in HEADINGS:
        assert heading in lines


# ---------------------------------------------------------------- PDF

def has_cjk_font() -> bool:
    found = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True)
    return bool(found.stdout.strip())


needs_cjk_font = pytest.mark.skipif(shutil.which("fc-list") is None or not has_cjk_font(),
                                    reason="no CJK font installed")


def pdf_fonts(pdf) -> dict[str, bool]:
    """Base font name → whether its glyphs are embedded (a FontFile stream)."""
    fonts = {}
    for page in pdf.pages:
        for ref in resolve1(resolve1(page.page_obj.resources).get("Font", {})).values():
            font = resolve1(ref)
            if "DescendantFonts" in font:
                descriptors = [resolve1(resolve1(d).get("FontDescriptor")) for d in resolve1(font["DescendantFonts"])]
            else:
                descriptors = [resolve1(font.get("FontDescriptor"))]
            fonts[font["BaseFont"].name] = all(
                d is not None and any(k in d for k in ("FontFile", "FontFile2", "FontFile3")) for d in descriptors
            )
    return fonts


def test_pdf_never_fetches_resources(tmp_path):
    import weasyprint
    from PIL import Image

    from gongkai.report.write.pdf import _no_fetching

    image = tmp_path / "pixel.png"
    Image.new("RGB", (4, 4), "red").save(image)
    page = f'<p>x</p><img src="{image.as_uri()}">'
    assert b"/Image" in weasyprint.HTML(string=page).write_pdf()  # WeasyPrint would read it …
    refused = weasyprint.HTML(string=page, base_url=None, url_fetcher=_no_fetching(weasyprint)).write_pdf()
    assert b"/Image" not in refused  # … but not through the writer's fetcher


@pytest.mark.slow
@needs_cjk_font
@pytest.mark.parametrize("name", ["2021", "2019"])
def test_pdf_text_layer_and_embedded_fonts(tmp_path, name):
    report = EXAMPLES[name]
    path = write_file(report, tmp_path / "report.pdf")
    with pdfplumber.open(path) as pdf:
        fonts = pdf_fonts(pdf)
        assert fonts and all(fonts.values()), fonts
        assert any("CJK" in base for base in fonts)
        text = "\n".join(page.extract_text() for page in pdf.pages)
        # WeasyPrint draws cell after cell, so in content-stream order every cell's text,
        # wrapped or not, is contiguous.
        flow = "".join("".join(page.extract_text(use_text_flow=True).split()) for page in pdf.pages)
    lines = text.splitlines()
    assert lines[0].startswith("栖霞区<script>alert(1)</script>")
    for heading in HEADINGS:
        assert heading in lines
    grids = (proactive_grid(report.format), applications_grid(report.format, report.single_other), appeals_grid())
    # Every label and number, in the order of the printed grid.
    position = 0
    for grid in grids:
        for _, _, cell in sorted(grid.placed(), key=lambda placed: placed[:2]):
            printed = cell.text if cell.source is None else text_of(
                (getattr(report, cell.source[0])[cell.source[1]] or {}).get(cell.source[2]))
            if printed:
                found = flow.find(printed, position)
                assert found >= 0, f"{printed} missing after {flow[position:position + 40]}"
                position = found + len(printed)
    # Each printed row's numbers, in order, end one line of the text layer; rows in order.
    position = 0
    for grid in grids:
        for row in grid.rows:
            values = [text_of(value) for value in
                      ((getattr(report, c.source[0])[c.source[1]] or {}).get(c.source[2]) for c in row if c.source)]
            values = [v for v in values if v]
            if not values:
                continue
            tail = " ".join(values)
            found = next(i for i in range(position, len(lines)) if lines[i].endswith(tail))
            position = found + 1
