"""AnnualReport → Markdown: the six sections with their prose and pipe tables.

Pipe tables cannot merge cells, so each row label carries its group
(``（三）不予公开 1.属于国家秘密``) and table 四 prints its three blocks as rows.
"""

from __future__ import annotations

import re

from ..model import AnnualReport
from .layout import ISSUES_HEADING, FlatTable, clean_text, document_title, format_number, issue_lines, parts, value_at

# Characters that Markdown would read as markup (or raw HTML: "<script>").  A backslash
# makes CommonMark print them literally, so report text can never inject markup.
_MARKUP = re.compile(r"([\\`*_\[\]<>|#&~])")
# At the start of a paragraph these would begin a list, a rule or a setext heading.
_BLOCK_START = re.compile(r"^([-+=]|\d+(?=[.)](?:\s|$)))")


def escape(text: str) -> str:
    return _MARKUP.sub(r"\\\1", clean_text(text))


def escape_paragraph(text: str) -> str:
    text = escape(text)
    match = _BLOCK_START.match(text)
    if match is None:
        return text
    if match.group(1)[0].isdigit():
        # "1. 总体" would start a list: escape the dot instead of the digit.
        end = match.end()
        return text[:end] + "\\" + text[end:]
    return "\\" + text


def _pipe_row(cells) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(report: AnnualReport, table: FlatTable) -> list[str]:
    lines = []
    if table.caption:
        lines += [escape(table.caption), ""]
    lines.append(_pipe_row(escape(text) for text in table.header))
    lines.append(_pipe_row([":---"] + ["---:"] * (len(table.header) - 1)))
    for label, sources in table.rows:
        lines.append(_pipe_row([escape(label), *(format_number(value_at(report, source)) for source in sources)]))
    lines.append("")
    return lines


def render_markdown(report: AnnualReport, *, include_issues: bool = False) -> str:
    lines = [f"# {escape(document_title(report))}", ""]
    for part in parts(report):
        lines += [f"## {escape(part.heading)}", ""]
        for paragraph in part.paragraphs:
            lines += [escape_paragraph(paragraph), ""]
        for table in part.flat:
            lines += _table(report, table)
    if include_issues:
        lines += [f"## {escape(ISSUES_HEADING)}", ""]
        lines += [f"- {escape(line)}" for line in issue_lines(report)] or ["无"]
        lines.append("")
    return "\n".join(lines)
