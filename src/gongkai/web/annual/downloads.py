"""A stored annual report as a downloadable file, through the report writers (one path for staff and portal)."""

from __future__ import annotations

from dataclasses import dataclass

from gongkai.report.model import AnnualReport
from gongkai.report.write import render

from .models import AnnualReportRecord

DOWNLOAD_FORMATS = {
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "json": "application/json; charset=utf-8",
}


@dataclass(frozen=True)
class ReportFile:
    content: bytes
    content_type: str
    filename: str


def record_report(record: AnnualReportRecord) -> AnnualReport:
    return AnnualReport.from_json(record.snapshot)


def record_file(record: AnnualReportRecord, fmt: str) -> ReportFile:
    """``record`` rendered as ``fmt`` (html|docx|pdf|json); the name says agency, year and version."""
    if fmt not in DOWNLOAD_FORMATS:
        raise ValueError(f"不支持的下载格式：{fmt}（可用：{'、'.join(DOWNLOAD_FORMATS)}）")
    content = render(record_report(record), fmt)
    filename = f"{record.agency.full_name}{record.year}年政府信息公开工作年度报告-第{record.version}版.{fmt}"
    return ReportFile(content, DOWNLOAD_FORMATS[fmt], filename)
