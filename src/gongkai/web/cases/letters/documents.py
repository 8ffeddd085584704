"""A ``Letter`` written as DOCX (python-docx, CJK fonts named on styles and runs) and as PDF
(WeasyPrint from escaped HTML, fonts embedded, nothing fetched) — the same machinery as the
annual report's writers in ``gongkai.report.write``."""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from gongkai.report.write.docx import BODY_FONT, BODY_STYLE, TITLE_FONT, blank_document, set_run_fonts
from gongkai.report.write.pdf import html_to_pdf

from .compose import Letter, chinese_date


def body_paragraph(document, text: str, *, style: str = BODY_STYLE, font: str = BODY_FONT, align=None,
               indent: bool = True, bold: bool = False):
    paragraph = document.add_paragraph(style=style)
    run = paragraph.add_run(text)
    run.bold = bold or None
    set_run_fonts(run, font)
    if align is not None:
        paragraph.alignment = align
    if not indent:
        paragraph.paragraph_format.first_line_indent = Pt(0)
    return paragraph


def letter_docx(letter: Letter) -> bytes:
    document = blank_document()
    properties = document.core_properties
    properties.title = letter.heading
    properties.author = letter.agency_name
    title = document.add_paragraph(style="Title")
    for index, line in enumerate((letter.agency_name, letter.title)):
        run = title.add_run(line)
        set_run_fonts(run, TITLE_FONT)
        if index == 0:
            run.add_break()
    body_paragraph(document, letter.document_number, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    body_paragraph(document, f"申请编号：{letter.application_number}", align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    body_paragraph(document, f"{letter.applicant_name}：", indent=False)
    body = [body_paragraph(document, text) for text in (*letter.paragraphs, *([letter.remedies] if letter.remedies else []))]
    closing = [*body[-1:], document.add_paragraph(style=BODY_STYLE),
               body_paragraph(document, letter.agency_name, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)]
    body_paragraph(document, chinese_date(letter.letter_date), align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    for paragraph in closing:  # Word too keeps the signature on the page of the last paragraph
        paragraph.paragraph_format.keep_with_next = True
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def letter_html(letter: Letter) -> str:
    """Self-contained HTML of the letter; Django's autoescaping escapes every value.

    The last paragraph is set apart (``closing``) so that it and the signature form one block
    the page cannot break.
    """
    paragraphs = [*letter.paragraphs, *([letter.remedies] if letter.remedies else [])]
    return render_to_string("cases/letters/letter.html", {
        "letter": letter, "letter_date": chinese_date(letter.letter_date),
        "body": paragraphs[:-1], "closing": paragraphs[-1] if paragraphs else ""})


def letter_pdf(letter: Letter) -> bytes:
    return html_to_pdf(letter_html(letter))
