"""Text helpers shared by every reader: width folding, cue patterns, page furniture.

Published reports mix full-width and half-width digits and punctuation (``（一）`` and
``(一)``, ``２３`` and ``23``).  ``fold_width`` maps full-width forms to ASCII one
character for one character, so positions found in the folded text are valid in the
original, whose punctuation is kept for the prose sections.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Marks a table cell that exists but is empty (HTML ``&nbsp;``, an empty DOCX cell).
EMPTY_CELL = "\ue000"

_WIDTH_TABLE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_WIDTH_TABLE[0x3000] = 0x20  # ideographic space
_WIDTH_TABLE[0x00A0] = 0x20  # no-break space (&nbsp; in prose)
_WIDTH_TABLE[0x2002] = 0x20
_WIDTH_TABLE[0x2003] = 0x20
_WIDTH_TABLE[0x200B] = 0x20  # zero-width space, used by some sites between characters
_WIDTH_TABLE[0xFEFF] = 0x20
_WIDTH_TABLE[0x3001] = 0x3001  # 、 stays


def fold_width(text: str) -> str:
    """Full-width ASCII forms to ASCII, one character for one (positions are preserved)."""
    return text.translate(_WIDTH_TABLE)


# What may stand between two characters of a label that was wrapped, spaced or split
# into cells: anything that is neither a CJK character nor a letter or digit.  Written
# with ``\W`` rather than a negated CJK range: a range of 20,000 code points costs the
# regex compiler milliseconds per gap, and a report's cues hold hundreds of gaps.
GAP = r"[\W_]*?"


@lru_cache(maxsize=512)
def cue_pattern(cue: str) -> re.Pattern[str]:
    """A pattern finding ``cue`` with any spacing, punctuation or line breaks inside it."""
    # Punctuation inside a cue is optional like any other gap (“三安全一稳定” vs 三安全一稳定).
    chars = [re.escape(ch) for ch in cue if re.match(r"[\u4e00-\u9fff0-9A-Za-z]", ch)]
    return re.compile(GAP.join(chars))


def find_cue(text: str, cues, start: int = 0, end: int | None = None) -> re.Match[str] | None:
    """The first cue (in the order given, most specific first) found in ``text[start:end]``."""
    end = len(text) if end is None else end
    for cue in cues:
        match = cue_pattern(cue).search(text, start, end)
        if match:
            return match
    return None


def find_earliest(text: str, cues, start: int = 0, end: int | None = None) -> re.Match[str] | None:
    """The earliest match of any of ``cues`` in ``text[start:end]`` (the longest where two start together)."""
    end = len(text) if end is None else end
    best = None
    for cue in cues:
        match = cue_pattern(cue).search(text, start, end)
        if match and (best is None or (match.start(), -match.end()) < (best.start(), -best.end())):
            best = match
    return best


_PAGE_FURNITURE = re.compile(
    r"^[ \t]*(?:"
    r"[-—–_~]+[ \t]*\d{1,3}[ \t]*[-—–_~]+"  # — 3 —
    r"|第[ \t]*\d{1,3}[ \t]*页(?:[ \t,，/]*共[ \t]*\d{1,3}[ \t]*页)?"  # 第3页 共5页
    r"|\d{1,3}[ \t]*/[ \t]*\d{1,3}"  # 3/5
    r"|[Pp]age[ \t]*\d{1,3}(?:[ \t]*of[ \t]*\d{1,3})?"
    r")[ \t]*$",
    re.MULTILINE,
)
# A lone number just before a page break, just after one, or (the last page's) at the end of the text.
_LONE_NUMBER_AT_PAGE_EDGE = re.compile(r"(?:^[ \t]*\d{1,3}[ \t\n]*(?=\f|\Z))|(?:(?<=\f)[ \t\n]*\d{1,3}[ \t]*$)",
                                       re.MULTILINE)


def strip_page_furniture(text: str) -> str:
    """Blank out page numbers so they are not read as table cells.

    Replaced by spaces of the same length, so positions stay valid.
    """
    if "\f" not in text and "页" not in text and "—" not in text and "-" not in text:
        return text

    def blank(match: re.Match[str]) -> str:
        return re.sub(r"[^\n\f]", " ", match.group(0))

    text = _PAGE_FURNITURE.sub(blank, text)
    if "\f" in text:
        text = _LONE_NUMBER_AT_PAGE_EDGE.sub(blank, text)
    return text


# Parenthesised notes inside tables (``（单位：万元，保留4位小数）``) hold digits that
# are not cells; they are blanked before numbers are read.
_NOTE = re.compile(r"\([^()\n]{0,60}?[\u4e00-\u9fff][^()\n]{0,60}?\)")


def blank_notes(text: str) -> str:
    return _NOTE.sub(lambda m: " " * len(m.group(0)), text)


def squeeze(text: str) -> str:
    """Text without any whitespace, for comparing names."""
    return re.sub(r"\s+", "", text)


_MD_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")


def markdown_tables_to_cells(text: str) -> str:
    """Rows of Markdown pipe tables as tab-separated cells, an empty cell marked as such.

    Only real Markdown tables (with a ``|---|`` separator line) are converted: pipe rows
    scraped from web pages use empty ``||`` for spans, not for blank numbers.
    """
    if "|" not in text or "---" not in text:
        return text
    lines = text.split("\n")
    in_table = [False] * len(lines)
    for index, line in enumerate(lines):
        if not _MD_SEPARATOR.match(line) or "|" not in line:
            continue
        start = index - 1 if index and lines[index - 1].lstrip().startswith("|") else index
        end = index + 1
        while end < len(lines) and lines[end].lstrip().startswith("|"):
            end += 1
        for row in range(start, end):
            in_table[row] = True
    out = []
    for line, table_row in zip(lines, in_table, strict=True):
        if not table_row:
            out.append(line)
        elif _MD_SEPARATOR.match(line):
            out.append("")
        else:
            cells = [_GENERIC_HEADER.sub(r"\1", cell.strip()) for cell in line.strip().strip("|").split("|")]
            out.append("\t".join(cell or EMPTY_CELL for cell in cells))
    return "\n".join(out)


# Conversion tools name the columns they could not read 数据1 … 数据7 (or 列1, Column 1): the
# digits number columns, they are not cells.
_GENERIC_HEADER = re.compile(r"^(数据|列|栏|字段|[Cc]olumn|[Cc]ol)\s*\d{1,2}$")
