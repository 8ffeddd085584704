"""AnnualReport → HTML in the official layout: merged headers, printable on A4, no external resources."""

from __future__ import annotations

from functools import cache

import jinja2

from ..model import AnnualReport
from .layout import ISSUES_HEADING, Grid, cell_text, document_title, issue_lines, parts


@cache
def _template() -> jinja2.Template:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("gongkai.report.write", "templates"),
        # Every string from a report is untrusted (agency names and prose come from
        # scraped documents): escape everything, always.
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    return environment.get_template("report.html")


def _table(report: AnnualReport, grid: Grid) -> dict:
    head = grid.rows[: grid.header_rows]
    body = [[(cell, cell_text(report, cell)) for cell in row] for row in grid.rows[grid.header_rows:]]
    total = sum(grid.widths_mm)
    columns = [f"{100 * width / total:.2f}%" for width in grid.widths_mm]
    return {"columns": columns, "head": head, "body": body}


def render_html(report: AnnualReport, *, include_issues: bool = False) -> str:
    report_parts = parts(report)
    return _template().render(
        title=document_title(report),
        format=report.format,
        parts=report_parts,
        tables={part.key: _table(report, part.grid) for part in report_parts if part.grid is not None},
        issues=issue_lines(report) if include_issues else None,
        issues_heading=ISSUES_HEADING,
    )
