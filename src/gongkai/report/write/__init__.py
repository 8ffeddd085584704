"""Writers: AnnualReport → json / md / html / docx / pdf.

    >>> from gongkai.report.model import AnnualReport
    >>> render(AnnualReport.empty("2021", agency="某局", year=2021), "md").decode().splitlines()[0]
    '# 某局2021年政府信息公开工作年度报告'

Every format prints the official labels of :mod:`gongkai.report.taxonomy`; a number the
report does not state prints as a blank cell, never 0.  DOCX and PDF support is imported
only when asked for, so importing this package stays cheap.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from ...errors import os_reason
from ..errors import ReportError
from ..model import AnnualReport

FORMATS = ("json", "md", "html", "docx", "pdf")
_SUFFIXES = {
    ".json": "json",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".docx": "docx",
    ".pdf": "pdf",
}


class UnsupportedOutputFormat(ReportError, ValueError):
    """The requested output format is not one of :data:`FORMATS`."""


class OutputNotWritable(ReportError):
    """The output file cannot be written (missing directory, no permission, disk full)."""


def render(report: AnnualReport, fmt: str, *, include_issues: bool = False) -> bytes:
    """The report in ``fmt`` (json|md|html|docx|pdf) as bytes; text formats are UTF-8.

    ``include_issues`` appends the consistency issues as a last section (md, html, docx,
    pdf); off by default so that a rendered report is a clean publishable document.
    JSON always carries its ``issues``.
    """
    if fmt == "json":
        return report.dumps().encode("utf-8")
    if fmt == "md":
        from .markdown import render_markdown

        return render_markdown(report, include_issues=include_issues).encode("utf-8")
    if fmt == "html":
        from .html import render_html

        return render_html(report, include_issues=include_issues).encode("utf-8")
    if fmt == "docx":
        from .docx import render_docx

        return render_docx(report, include_issues=include_issues)
    if fmt == "pdf":
        from .pdf import render_pdf

        return render_pdf(report, include_issues=include_issues)
    raise UnsupportedOutputFormat(f"不支持的输出格式「{fmt}」，可选：{'、'.join(FORMATS)}")


def format_for_path(path: str | os.PathLike) -> str:
    """The output format a file name asks for: ``.md`` → md, ``.htm`` → html …"""
    suffix = Path(path).suffix.lower()
    try:
        return _SUFFIXES[suffix]
    except KeyError:
        raise UnsupportedOutputFormat(
            f"无法从文件扩展名「{suffix or '（无）'}」判断输出格式，请指定 {'|'.join(FORMATS)}", path=str(path)
        ) from None


def write_file(report: AnnualReport, path: str | os.PathLike, fmt: str | None = None, *,
               include_issues: bool = False) -> Path:
    """Render and write atomically: an existing file is replaced whole or left untouched."""
    path = Path(path)
    data = render(report, fmt or format_for_path(path), include_issues=include_issues)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        # os.open with mode 0o666 lets the umask decide permissions, as for any new file
        # (tempfile.mkstemp would leave the report readable by its owner only).
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as error:
        raise OutputNotWritable(f"无法写入文件：{os_reason(error)}", path=str(path)) from None
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException as error:
        temporary.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise OutputNotWritable(f"无法写入文件：{os_reason(error)}", path=str(path)) from None
        raise
    return path


__all__ = ["FORMATS", "OutputNotWritable", "UnsupportedOutputFormat", "format_for_path", "render", "write_file"]
