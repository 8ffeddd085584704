"""The printed layout of the report, described once for the Markdown, HTML and DOCX writers.

Everything official comes from :mod:`gongkai.report.taxonomy`; this module only arranges
it.  Two shapes are described:

* :class:`Grid` — a table exactly as the State Council format prints it, with merged
  header and group cells (HTML ``rowspan``/``colspan``, DOCX ``cell.merge``);
* :class:`FlatTable` — the same rows and columns without merges, for Markdown pipe
  tables, where each row label carries its group (``（三）不予公开 1.属于国家秘密``).

Skeletons depend only on the format, so they are built once and cached; a writer fills
them with :func:`cell_text`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from itertools import groupby

from .. import taxonomy as tx
from ..model import AnnualReport

# Printed words that are part of the document rather than of the taxonomy's rows and
# columns.  (taxonomy.py has no constant for them; keep them here until it does.)
DOCUMENT_TITLE = "政府信息公开工作年度报告"
APPLICANT_HEADER = "申请人情况"
CONTENT_HEADER = "信息内容"
ISSUES_HEADING = "附：检查发现的问题"
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}

# A value cell points at one number of the report JSON: (table, row key, column key),
# where table is "proactive", "proactive_2019", "applications" or "appeals".
Source = tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class Cell:
    """One printed cell.  ``kind`` is ``head`` (column header), ``note`` (the corner note),
    ``label`` (a row label), ``group`` (a label spanning several rows) or ``value``."""

    kind: str
    text: str = ""
    rowspan: int = 1
    colspan: int = 1
    source: Source | None = None

    @property
    def key(self) -> str:
        """``applications.granted.natural_person`` — the cell's path in report JSON."""
        return ".".join(self.source) if self.source else ""


@dataclass(frozen=True)
class Grid:
    """A table as printed: ``rows`` holds, per printed row, the cells that start there.

    ``header_rows`` leading rows are column headers (repeated on every page when printed).
    """

    key: str
    width: int
    header_rows: int
    rows: tuple[tuple[Cell, ...], ...]
    widths_mm: tuple[float, ...]  # printed column widths, adding up to TEXT_WIDTH_MM

    def placed(self) -> list[tuple[int, int, Cell]]:
        """Every cell with the (row, column) of its top-left corner in the full grid."""
        occupied: set[tuple[int, int]] = set()
        result = []
        for r, cells in enumerate(self.rows):
            c = 0
            for cell in cells:
                while (r, c) in occupied:
                    c += 1
                result.append((r, c, cell))
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        occupied.add((r + dr, c + dc))
                c += cell.colspan
        return result


@dataclass(frozen=True)
class FlatTable:
    """A table without merged cells; ``caption`` is printed above it when not empty."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, tuple[Source, ...]], ...]


# ---------------------------------------------------------------- column widths

# Widths in millimetres on an A4 page with GB/T 9704 margins (156 mm of text width):
# narrow label columns for the group cells, equal columns for the numbers.
TEXT_WIDTH_MM = 156
_PROACTIVE_LABEL_MM = 51.0
_APPLICATION_LABELS_MM = (9.0, 14.0, 56.0)


def _widths_mm(labels: tuple[float, ...], width: int) -> tuple[float, ...]:
    """Label columns as given, the numbers sharing the rest of the text width equally."""
    rest = (TEXT_WIDTH_MM - sum(labels)) / (width - len(labels))
    return labels + (rest,) * (width - len(labels))


# ---------------------------------------------------------------- text helpers

def document_title(report: AnnualReport) -> str:
    """``栖霞区人民政府办公室2021年政府信息公开工作年度报告`` — as reports title themselves."""
    year = f"{report.year}年" if report.year is not None else ""
    return clean_text(f"{report.agency or ''}{year}{DOCUMENT_TITLE}")


def section_heading(section: tx.Section) -> str:
    return f"{section.number}、{section.title}"


def article_item(item: str) -> str:
    """Table 二 block heading: ``第二十条第（一）项`` for the item ``（一）``."""
    return f"第二十条第{item}项"


# XML 1.0 forbids these (and lone surrogates cannot be encoded): they would make the DOCX
# unreadable and the HTML invalid.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def paragraphs(text: str | None, heading: str = "") -> list[str]:
    """Prose split into paragraphs, without blank lines or a repeated section heading.

    Readers sometimes keep the heading as the first line of a section's text; printing
    it again under the heading would double it.
    """
    if not text:
        return []
    lines = [line.strip() for line in clean_text(text).splitlines()]
    lines = [line for line in lines if line]
    if lines and heading and lines[0] == heading:
        lines = lines[1:]
    return lines


def format_number(value: int | float | None) -> str:
    """A number as printed: null is blank (never 0), amounts without exponent or float noise."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        # repr() is the shortest text that reads back to the same float; Decimal drops
        # its exponent so 1e-05 prints as 0.00001.
        return format(Decimal(repr(value)), "f")
    return str(value)


def value_at(report: AnnualReport, source: Source) -> int | float | None:
    table, row, column = source
    rows = getattr(report, table) or {}
    values = rows.get(row) or {}
    return values.get(column)


def cell_text(report: AnnualReport, cell: Cell) -> str:
    if cell.source is not None:
        return format_number(value_at(report, cell.source))
    return cell.text


# ---------------------------------------------------------------- table 二 (主动公开)

def _proactive_table_key(fmt: str) -> str:
    return "proactive" if fmt == "2021" else "proactive_2019"


def _proactive_blocks(fmt: str):
    """Rows of table 二 grouped by their 第二十条 item, in printed order."""
    return [(item, tuple(rows)) for item, rows in groupby(tx.proactive_rows(fmt), key=lambda row: row.item)]


def _spread(count: int, width: int) -> list[int]:
    """Column spans that fill ``width`` with ``count`` cells, the last one taking the rest."""
    return [1] * (count - 1) + [width - count + 1]


@cache
def proactive_grid(fmt: str) -> Grid:
    table = _proactive_table_key(fmt)
    width = 1 + max(len(row.columns) for row in tx.proactive_rows(fmt))
    rows: list[tuple[Cell, ...]] = []
    for item, block in _proactive_blocks(fmt):
        columns = block[0].columns
        spans = _spread(len(columns), width - 1)
        rows.append((Cell("group", article_item(item), colspan=width),))
        rows.append((Cell("head", CONTENT_HEADER),
                     *(Cell("head", column.label, colspan=span) for column, span in zip(columns, spans, strict=True))))
        for row in block:
            rows.append((Cell("label", row.label),
                         *(Cell("value", colspan=span, source=(table, row.key, column.key))
                           for column, span in zip(row.columns, spans, strict=True))))
    return Grid("proactive", width, 0, tuple(rows), _widths_mm((_PROACTIVE_LABEL_MM,), width))


@cache
def proactive_flat(fmt: str) -> tuple[FlatTable, ...]:
    table = _proactive_table_key(fmt)
    return tuple(
        FlatTable(
            article_item(item),
            (CONTENT_HEADER, *(column.label for column in block[0].columns)),
            tuple((row.label, tuple((table, row.key, column.key) for column in row.columns)) for row in block),
        )
        for item, block in _proactive_blocks(fmt)
    )


# ---------------------------------------------------------------- table 三 (申请)

_APPLICATION_LABEL_COLUMNS = 3  # 三、本年度办理结果 | （三）不予公开 | 1.属于国家秘密


def _application_rows(fmt: str, single_other: bool) -> tuple[tx.Row, ...]:
    return tuple(tx.APPLICATION_ROWS[key] for key in tx.application_row_keys(fmt, single_other=single_other))


def _application_values(row_key: str) -> tuple[Cell, ...]:
    return tuple(Cell("value", source=("applications", row_key, column)) for column in tx.APPLICANT_COLUMN_KEYS)


def _application_header() -> tuple[tuple[Cell, ...], ...]:
    person, *organisations, total = tx.APPLICANT_COLUMN_LIST
    return (
        (Cell("note", tx.BALANCE_NOTE, rowspan=3, colspan=_APPLICATION_LABEL_COLUMNS),
         Cell("head", APPLICANT_HEADER, colspan=len(tx.APPLICANT_COLUMN_LIST))),
        (Cell("head", person.label, rowspan=2),
         Cell("head", tx.LEGAL_PERSON_GROUP, colspan=len(organisations)),
         Cell("head", total.label, rowspan=2)),
        tuple(Cell("head", column.label) for column in organisations),
    )


@cache
def applications_grid(fmt: str, single_other: bool) -> Grid:
    rows = _application_rows(fmt, single_other)
    first, second, *results, last = rows
    rows_out: list[tuple[Cell, ...]] = list(_application_header())
    for row in (first, second):
        rows_out.append((Cell("label", row.label, colspan=_APPLICATION_LABEL_COLUMNS), *_application_values(row.key)))
    # Every row between 二、上年结转 and 四、结转下年度 belongs to 三、本年度办理结果; rows of a
    # numbered group (（三）不予公开 …) share one group cell.
    group_sizes = {name: sum(1 for _ in members) for name, members in groupby(results, key=lambda r: r.group)}
    previous_group = None
    for index, row in enumerate(results):
        cells: list[Cell] = []
        if index == 0:
            cells.append(Cell("group", tx.RESULTS_HEADING, rowspan=len(results)))
        if row.group and row.group != tx.RESULTS_HEADING:
            if row.group != previous_group:
                cells.append(Cell("group", row.group, rowspan=group_sizes[row.group]))
            cells.append(Cell("label", row.label))
        else:
            cells.append(Cell("label", row.label, colspan=2))
        previous_group = row.group
        rows_out.append((*cells, *_application_values(row.key)))
    rows_out.append((Cell("label", last.label, colspan=_APPLICATION_LABEL_COLUMNS), *_application_values(last.key)))
    width = _APPLICATION_LABEL_COLUMNS + len(tx.APPLICANT_COLUMN_LIST)
    return Grid("applications", width, 3, tuple(rows_out), _widths_mm(_APPLICATION_LABELS_MM, width))


@cache
def applications_flat(fmt: str, single_other: bool) -> FlatTable:
    return FlatTable(
        "",
        (tx.BALANCE_NOTE, *(column.label for column in tx.APPLICANT_COLUMN_LIST)),
        tuple((row.full_label, tuple(cell.source for cell in _application_values(row.key)))
              for row in _application_rows(fmt, single_other)),
    )


# ---------------------------------------------------------------- table 四 (复议、诉讼)

@cache
def appeals_grid() -> Grid:
    columns = tx.APPEAL_COLUMN_LIST
    top: list[Cell] = []
    middle: list[Cell] = []
    bottom: list[Cell] = []
    for parent, blocks in groupby(tx.APPEAL_BLOCK_LIST, key=lambda block: block.parent):
        blocks = list(blocks)
        if not parent:
            # 行政复议: its label spans its columns; the column labels reach down two rows.
            for block in blocks:
                top.append(Cell("head", block.label, colspan=len(columns)))
                middle.extend(Cell("head", column.label, rowspan=2) for column in columns)
        else:
            # 行政诉讼 over 未经复议直接起诉 and 复议后起诉, each over its own five columns.
            top.append(Cell("head", parent, colspan=len(columns) * len(blocks)))
            for block in blocks:
                middle.append(Cell("head", block.label, colspan=len(columns)))
                bottom.extend(Cell("head", column.label) for column in columns)
    values = tuple(Cell("value", source=("appeals", block.key, column.key))
                   for block in tx.APPEAL_BLOCK_LIST for column in columns)
    return Grid("appeals", len(values), 3, (tuple(top), tuple(middle), tuple(bottom), values),
                _widths_mm((), len(values)))


@cache
def appeals_flat() -> FlatTable:
    # Pipe tables cannot merge cells, so the three blocks become rows: no column label repeats.
    return FlatTable(
        "",
        ("", *(column.label for column in tx.APPEAL_COLUMN_LIST)),
        tuple((f"{block.parent} {block.label}".strip(),
               tuple(("appeals", block.key, column.key) for column in tx.APPEAL_COLUMN_LIST))
              for block in tx.APPEAL_BLOCK_LIST),
    )


# ---------------------------------------------------------------- the document

@dataclass(frozen=True)
class Part:
    """One of the six sections: heading, prose paragraphs and the table(s) it prints."""

    key: str
    heading: str
    paragraphs: list[str]
    grid: Grid | None
    flat: tuple[FlatTable, ...]


def parts(report: AnnualReport) -> list[Part]:
    """The six sections in order, each with its prose (if any) and its tables."""
    fmt, single_other = report.format, report.single_other
    tables = {
        "proactive": (proactive_grid(fmt), proactive_flat(fmt)),
        "applications": (applications_grid(fmt, single_other), (applications_flat(fmt, single_other),)),
        "appeals": (appeals_grid(), (appeals_flat(),)),
    }
    result = []
    for section in tx.SECTION_LIST:
        heading = section_heading(section)
        grid, flat = tables.get(section.key, (None, ()))
        result.append(Part(section.key, heading, paragraphs(report.sections.get(section.key), heading), grid, flat))
    return result


def issue_lines(report: AnnualReport) -> list[str]:
    return [
        clean_text(f"【{SEVERITY_LABELS.get(issue.severity, issue.severity)}】{issue.text}")
        for issue in report.issues
    ]
