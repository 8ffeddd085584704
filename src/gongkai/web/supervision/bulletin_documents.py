"""A ``Bulletin`` written as DOCX and PDF in the layout of an official 通报 (GB/T 9704 as the annual
report's and the answer letters' writers have it: title in 宋体 二号, headings in 黑体, body in 仿宋
三号, the table in 宋体), from the frozen figures and the stored paragraphs only."""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH

from gongkai.report.write.docx import (
    BODY_STYLE,
    HEADING_FONT,
    TABLE_FONT,
    TITLE_FONT,
    blank_document,
    set_run_fonts,
)
from gongkai.report.write.pdf import html_to_pdf
from gongkai.web.cases.letters.compose import chinese_date
from gongkai.web.cases.letters.documents import body_paragraph

from .models import Bulletin

SECTIONS = (("overview", "一、基本情况"), ("problems", "二、存在问题"), ("requirements", "三、下一步工作要求"))


def paragraphs_of(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def table_rows(bulletin: Bulletin) -> tuple[list[str], list[list[str]]]:
    """The heading and rows of the table of figures by unit, the total last."""
    figures = bulletin.figures
    columns = figures["columns"]
    heading = ["单位", *(column["label"] for column in columns)]
    rows = [[unit["name"], *(str(unit["counts"][c["key"]]) for c in columns)] for unit in figures["units"]]
    rows.append(["合计", *(str(figures["totals"][c["key"]]) for c in columns)])
    return heading, rows


def dated(bulletin: Bulletin) -> str:
    return chinese_date(bulletin.issued_on) if bulletin.issued_on else "（印发时填写）"


def _table(document, bulletin: Bulletin) -> None:
    heading, rows = table_rows(bulletin)
    table = document.add_table(rows=1 + len(rows), cols=len(heading))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row_index, values in enumerate([heading, *rows]):
        for column, value in enumerate(values):
            cell = table.cell(row_index, column)
            run = cell.paragraphs[0].add_run(value)
            set_run_fonts(run, HEADING_FONT if row_index == 0 else TABLE_FONT)


def bulletin_docx(bulletin: Bulletin) -> bytes:
    document = blank_document()
    document.core_properties.title = bulletin.title
    document.core_properties.author = bulletin.issuer
    title = document.add_paragraph(style="Title")
    set_run_fonts(title.add_run(bulletin.title), TITLE_FONT)
    body_paragraph(document, f"{bulletin.recipients}：", indent=False)
    for key, heading in SECTIONS:
        body_paragraph(document, heading, style="Heading 1", font=HEADING_FONT)
        for text in paragraphs_of(getattr(bulletin, key)):
            body_paragraph(document, text)
        if key == "overview":
            body_paragraph(document, "附表：各单位情况", indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
            _table(document, bulletin)
    document.add_paragraph(style=BODY_STYLE)
    signature = body_paragraph(document, bulletin.issuer, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    signature.paragraph_format.keep_with_next = True
    body_paragraph(document, dated(bulletin), align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def bulletin_context(bulletin: Bulletin) -> dict:
    heading, rows = table_rows(bulletin)
    return {"bulletin": bulletin, "heading": heading, "rows": rows, "dated": dated(bulletin),
            "sections": [(key, title, paragraphs_of(getattr(bulletin, key))) for key, title in SECTIONS]}


def bulletin_html(bulletin: Bulletin) -> str:
    """Self-contained HTML for WeasyPrint (never served as a page; autoescaped)."""
    return render_to_string("supervision/bulletin_document.html", bulletin_context(bulletin))


def bulletin_pdf(bulletin: Bulletin) -> bytes:
    return html_to_pdf(bulletin_html(bulletin))
