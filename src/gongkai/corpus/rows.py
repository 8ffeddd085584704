"""One batch of files → Arrow tables: the work a Dask task does.

A file is read with ``read_report``, the reader of ``gongkai report parse``.  A file that
cannot be read becomes a failure row with its Chinese reason; nothing a file contains
stops the batch.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..report import taxonomy as tx
from ..report.errors import ReportError
from ..report.model import AnnualReport
from ..report.read import read_report
from . import schema

READER = f"gongkai {__version__}"
TABLES = ("proactive", "proactive_2019", "applications", "appeals")


@dataclass(frozen=True)
class Item:
    """One file to ingest: where it came from, and either its path or its bytes."""

    origin: str                 # path, archive.zip!entry, or URL
    name: str                   # the file's own name (its suffix breaks the reader's ties)
    sha256: str
    size: int
    path: str | None = None     # read by the worker when set
    data: bytes | None = None   # carried to the worker when the file is not on a shared disk
    region_code: str | None = None

    def load(self) -> bytes:
        return self.data if self.data is not None else Path(self.path).read_bytes()


def read_batch(items: list[Item]) -> dict[str, list[dict]]:
    """Rows of every table for these items; plain lists of dicts, cheap to ship back."""
    out: dict[str, list[dict]] = {name: [] for name in schema.PARTITIONED}
    for item in items:
        try:
            report = read_report(item.load(), filename=item.name)
        except ReportError as error:
            out["failures"].append(failure_row(item.sha256, item.origin, type(error).__name__, error.message))
            continue
        except OSError as error:
            out["failures"].append(failure_row(item.sha256, item.origin, "OSError",
                                               f"无法读取文件：{error.strerror or error}"))
            continue
        except Exception as error:  # noqa: BLE001 - a reader bug on one file must not stop the run
            out["failures"].append(failure_row(item.sha256, item.origin, type(error).__name__,
                                               f"读取时发生内部错误（{type(error).__name__}），请报告此文件"))
            continue
        out["reports"].append(report_row(report, item))
        out["cells"].extend(cell_rows(report, item.sha256))
        out["issues"].extend(issue_rows(report, item.sha256))
    return out


def failure_row(sha256: str | None, origin: str, error: str, reason: str) -> dict:
    return {"sha256": sha256, "year": None, "source_file": origin, "error": error, "reason": reason}


def report_row(report: AnnualReport, item: Item) -> dict:
    counts = {severity: 0 for severity in ("error", "warning", "info")}
    for issue in report.issues:
        counts[issue.severity] = counts.get(issue.severity, 0) + 1
    return {
        "report_id": item.sha256, "agency": report.agency, "region_code": item.region_code, "year": report.year,
        "format": report.format, "source_file": item.origin, "source_name": item.name, "size_bytes": item.size,
        "kind": report.source.get("kind"), "ocr": was_ocred(report.source), "reader": READER,
        "issues_error": counts["error"], "issues_warning": counts["warning"], "issues_info": counts["info"],
        **{key: report.sections.get(key) for key in tx.PROSE_SECTIONS},
    }


def was_ocred(source: dict) -> bool:
    """Did the reader take any of the text from OCR?  The reader names the OCR'd pages in the
    report's ``source`` (``ocr``: true or a list of pages; ``ocr_pages``: a list); an image is OCR'd whole."""
    return bool(source.get("ocr") or source.get("ocr_pages") or source.get("kind") == "image")


def cell_rows(report: AnnualReport, report_id: str) -> list[dict]:
    """Every cell of tables 二, 三 and 四 the report's format has; a row the format lacks is absent."""
    reasons = _null_reasons(report)
    rows = []
    data = report.to_json()
    for table in TABLES:
        for row_key, values in (data[table] or {}).items():
            if values is None:
                continue
            for column, value in values.items():
                where = f"{table}.{row_key}.{column}"
                reason = None
                if value is None:
                    reason = (reasons.get(where) or reasons.get(f"{table}.{row_key}") or reasons.get(table)
                              or "unstated")
                rows.append({"report_id": report_id, "year": report.year, "table": table, "row": row_key,
                             "column": column, "value": None if value is None else float(value),
                             "null_reason": reason, "where": where, "label": tx.cell_label(table, row_key, column)})
    return rows


def _null_reasons(report: AnnualReport) -> dict[str, str]:
    """The first issue's rule for each place an issue names (cell, row or table)."""
    reasons: dict[str, str] = {}
    for issue in report.issues:
        reasons.setdefault(issue.where, issue.rule)
    return reasons


def issue_rows(report: AnnualReport, report_id: str) -> list[dict]:
    return [{"report_id": report_id, "year": report.year, "position": position, "rule": issue.rule,
             "severity": issue.severity, "where": issue.where, "message": issue.message}
            for position, issue in enumerate(report.issues)]
