"""AnnualReport → DOCX: the official tables row for row and merge for merge, CJK fonts.

Page and fonts follow the usual government document conventions (GB/T 9704): A4,
title in 宋体 bold, headings in 黑体, body in 仿宋, tables in 宋体.  仿宋 (FangSong)
rather than 仿宋_GB2312 because it ships with Windows; the font table names the
English family as ``altName`` so Word and LibreOffice find a substitute anywhere.
"""

from __future__ import annotations

import copy
import io
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from ..model import AnnualReport
from .layout import (
    ISSUES_HEADING,
    Grid,
    Source,
    clean_text,
    document_title,
    format_number,
    issue_lines,
    parts,
    value_at,
)

LATIN_FONT = "Times New Roman"
BODY_FONT = "仿宋"
TABLE_FONT = "宋体"
HEADING_FONT = "黑体"
TITLE_FONT = "宋体"
# Chinese font name → the English family name Windows and fontconfig also know it by.
_ALT_NAMES = {"仿宋": "FangSong", "宋体": "SimSun", "黑体": "SimHei"}

BODY_STYLE = "报告正文"


# ---------------------------------------------------------------- fonts and styles

def _set_fonts(rpr, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Replace a run property's fonts; theme fonts are dropped because they win over names."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.attrib.clear()
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")


def _style_fonts(style, east_asia: str, size_pt: float, *, bold: bool = False) -> None:
    _set_fonts(style.element.get_or_add_rPr(), east_asia)
    style.font.size = Pt(size_pt)
    style.font.bold = bold
    style.font.color.rgb = RGBColor(0, 0, 0)


def _register_fonts(document) -> None:
    """Name the CJK fonts in the font table with charset GB2312 and their English names."""
    fonts = document.part.part_related_by(RT.FONT_TABLE)
    root = etree.fromstring(fonts.blob)
    for name, alt in _ALT_NAMES.items():
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        for tag, value in (("w:altName", alt), ("w:charset", "86"), ("w:family", "auto"), ("w:pitch", "variable")):
            etree.SubElement(font, qn(tag)).set(qn("w:val"), value)
    # python-docx keeps the font table as an opaque part: replace its bytes.
    fonts._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _prepare_styles(document) -> None:
    """Fonts, sizes and spacing of every style the document uses.

    Normal is the table text: most paragraphs are table cells, and giving each of them
    a style of its own would cost python-docx a style lookup per cell.
    """
    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(defaults, TABLE_FONT)
    defaults.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")

    normal = styles["Normal"]
    _style_fonts(normal, TABLE_FONT, 9)  # 小五
    cell = normal.paragraph_format
    cell.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cell.space_after = Pt(0)
    cell.line_spacing_rule = WD_LINE_SPACING.SINGLE

    body = styles.add_style(BODY_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    body.base_style = normal
    body.next_paragraph_style = body
    _style_fonts(body, BODY_FONT, 16)  # 三号
    text = body.paragraph_format
    text.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    text.first_line_indent = Pt(32)  # two characters
    text.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    text.line_spacing = Pt(28)

    title = styles["Title"]
    title.base_style = body
    _style_fonts(title, TITLE_FONT, 22, bold=True)  # 二号
    for border in title.element.xpath(".//w:pBdr"):
        border.getparent().remove(border)
    title_format = title.paragraph_format
    title_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title_format.first_line_indent = Pt(0)
    title_format.space_after = Pt(16)
    title_format.line_spacing_rule = WD_LINE_SPACING.MULTIPLE
    title_format.line_spacing = 1.2

    heading = styles["Heading 1"]
    heading.base_style = body
    _style_fonts(heading, HEADING_FONT, 16)
    heading_format = heading.paragraph_format
    heading_format.space_before = Pt(6)
    heading_format.space_after = Pt(6)
    heading_format.keep_with_next = True

    # Narrow cell margins (1 mm) so six-digit numbers fit the value columns.
    margins = styles["Table Grid"].element.find(qn("w:tblPr")).find(qn("w:tblCellMar"))
    for side in ("w:left", "w:right"):
        margins.find(qn(side)).set(qn("w:w"), "57")


_USED_STYLES = ("Normal", BODY_STYLE, "Title", "Heading 1", "Table Grid")


def _drop_unused_styles(document) -> None:
    """Keep only the styles this writer uses (and what they rest on).

    python-docx scans every style each time a paragraph gets one; the default template
    has 164, which made each styled paragraph cost a millisecond.
    """
    root = document.styles.element
    by_id = {style.get(qn("w:styleId")): style for style in root.findall(qn("w:style"))}
    keep = {style.style_id for style in document.styles if style.name in _USED_STYLES}
    # Default styles (Default Paragraph Font, Normal Table, No List) are always needed.
    keep |= {style_id for style_id, style in by_id.items() if style.get(qn("w:default")) == "1"}
    pending = list(keep)
    while pending:
        style = by_id[pending.pop()]
        for tag in ("w:basedOn", "w:link", "w:next"):
            reference = style.find(qn(tag))
            target = reference.get(qn("w:val")) if reference is not None else None
            if target in by_id and target not in keep:
                keep.add(target)
                pending.append(target)
    for style_id, style in by_id.items():
        if style_id not in keep:
            root.remove(style)


@cache
def _template() -> bytes:
    """A blank document with page, fonts and styles set up, built once per process."""
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    _prepare_styles(document)
    _drop_unused_styles(document)
    _register_fonts(document)
    properties = document.core_properties
    properties.comments = ""  # python-docx's template says "generated by python-docx"
    properties.language = "zh-CN"
    body = document.element.body
    for paragraph in body.findall(qn("w:p")):
        body.remove(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def blank_document():
    """A blank A4 document with this writer's page, CJK fonts and styles (Title, Heading 1, BODY_STYLE).

    Other documents (the answer letters of the web site) start from it so that every
    DOCX gongkai writes names its Chinese fonts the same way.
    """
    return docx.Document(io.BytesIO(_template()))


def set_run_fonts(run, east_asia: str = BODY_FONT) -> None:
    """Name the fonts on one run as well, for editors that ignore the style's East Asian font."""
    _set_fonts(run._r.get_or_add_rPr(), east_asia)


# ---------------------------------------------------------------- tables

def _repeat_as_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:tblHeader"))


@dataclass(frozen=True)
class _Prototype:
    """A table with its labels and merges in place and its value cells empty.

    The merged layout depends only on the format, and python-docx takes ~1.5 ms per
    ``cell.merge``, so each layout is merged once and copied for every report.
    ``value_cells`` gives, per value cell, its (row, cell) child indices in the table
    element and where its number comes from.
    """

    table: etree._Element
    value_cells: tuple[tuple[int, int, Source], ...]


_PROTOTYPES: dict[int, tuple[Grid, _Prototype]] = {}


def _prototype(grid: Grid) -> _Prototype:
    # Keyed by identity: layout caches its grids for the life of the process, and hashing
    # a grid's few hundred cells on every call would cost more than the lookup saves.
    cached = _PROTOTYPES.get(id(grid))
    if cached is None or cached[0] is not grid:
        cached = _PROTOTYPES[id(grid)] = (grid, _build_prototype(grid))
    return cached[1]


def _build_prototype(grid: Grid) -> _Prototype:
    scratch = docx.Document(io.BytesIO(_template()))
    table = scratch.add_table(rows=len(grid.rows), cols=grid.width)
    table.style = scratch.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = [Mm(width) for width in grid.widths_mm]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    rows = list(table.rows)
    for row in rows[: grid.header_rows]:
        _repeat_as_header(row)
    # Collect every cell before merging: a merge removes the cells it swallows.
    matrix = [row.cells for row in rows]
    merges = []
    values = []
    for r, c, spec in grid.placed():
        cell = matrix[r][c]
        cell.width = sum(widths[c:c + spec.colspan])
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        if spec.source is not None:
            values.append((cell, spec.source))
        else:
            paragraph = cell.paragraphs[0]
            if spec.kind in ("label", "note"):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
            paragraph.add_run(spec.text)
        if spec.rowspan > 1 or spec.colspan > 1:
            merges.append((cell, matrix[r + spec.rowspan - 1][c + spec.colspan - 1]))
    for top_left, bottom_right in merges:
        top_left.merge(bottom_right)
    element = table._tbl  # python-docx has no public accessor for the table element
    positions = []
    for cell, source in values:
        row = cell._tc.getparent()
        positions.append((element.index(row), row.index(cell._tc), source))
    element.getparent().remove(element)
    return _Prototype(element, tuple(positions))


_P, _R, _T = qn("w:p"), qn("w:r"), qn("w:t")


def _add_grid(document, grid: Grid, report: AnnualReport) -> None:
    prototype = _prototype(grid)
    table = copy.deepcopy(prototype.table)
    for row, column, source in prototype.value_cells:
        text = format_number(value_at(report, source))
        if text:
            paragraph = table[row][column].find(_P)
            etree.SubElement(etree.SubElement(paragraph, _R), _T).text = text
    # Before the section properties, which must stay the body's last child.
    document.element.body.sectPr.addprevious(table)


# ---------------------------------------------------------------- the document

def render_docx(report: AnnualReport, *, include_issues: bool = False) -> bytes:
    document = docx.Document(io.BytesIO(_template()))
    properties = document.core_properties
    properties.title = document_title(report)
    properties.author = clean_text(report.agency or "")
    properties.created = properties.modified = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    body = document.styles[BODY_STYLE]
    document.add_paragraph(document_title(report), style="Title")
    for part in parts(report):
        document.add_heading(part.heading, level=1)
        for text in part.paragraphs:
            document.add_paragraph(text, style=body)
        if part.grid is not None:
            _add_grid(document, part.grid, report)
    if include_issues:
        document.add_heading(ISSUES_HEADING, level=1)
        for line in issue_lines(report) or ["无"]:
            document.add_paragraph(line, style=body)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
