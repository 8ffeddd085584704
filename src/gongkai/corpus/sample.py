"""Sample reports for the demo's corpus and the explorer's tests: consistent, deterministic, marked 示例数据.

``consistent_report`` draws table 三 so that every 勾稽关系 holds (the parts first, then the
totals and 本年新收), table 四 with its totals, and small table 二 counts.  ``write_sources``
renders reports with gongkai's own writers (Markdown and HTML by turns) and writes the list
file (``.lst``: path, tab, 行政区划代码) that ``gongkai corpus ingest`` reads.
"""

from __future__ import annotations

import random
from pathlib import Path

from ..report import taxonomy as tx
from ..report.model import AnnualReport
from ..report.write import render

SAMPLE_NOTE = "（示例数据，非真实报告）"
TYPICAL_NEW = 140  # about the 本年新收 总计 of a report drawn at scale 1


def consistent_report(rng: random.Random, *, agency: str, year: int, scale: float = 1.0,
                      single_other: bool | None = None) -> AnnualReport:
    """A report of ``year``'s format whose tables 三 and 四 balance; counts grow with ``scale``."""
    fmt = "2019" if year < 2021 else "2021"
    report = AnnualReport.empty(fmt, agency=agency, year=year, single_other=single_other)
    apps = report.applications

    def count(high: int) -> int:
        return round(rng.uniform(0, high * scale))

    outcomes = report.outcome_keys()
    for key in outcomes:
        high = 40 if key == "granted" else 12 if key == "partially_granted" else 3
        apps[key] = {column: count(high if column == "natural_person" else high // 3) for column in tx.APPLICANT_PARTS}
    apps["carried_forward"] = {column: count(2) for column in tx.APPLICANT_PARTS}
    apps["total"] = {column: sum(apps[key][column] for key in outcomes) for column in tx.APPLICANT_PARTS}
    apps["carried_over"], apps["new"] = {}, {}
    for column in tx.APPLICANT_PARTS:
        handled = apps["total"][column] + apps["carried_forward"][column]
        apps["carried_over"][column] = min(handled, count(2))
        apps["new"][column] = handled - apps["carried_over"][column]
    for key in report.application_row_keys():
        apps[key]["total"] = sum(apps[key][column] for column in tx.APPLICANT_PARTS)
    for block in tx.APPEAL_BLOCK_KEYS:
        parts = {column: count(3 if block == "review" else 1) for column in tx.APPEAL_PARTS}
        report.appeals[block] = {**parts, "total": sum(parts.values())}
    specs = tx.PROACTIVE_2021_LIST if fmt == "2021" else tx.PROACTIVE_2019_LIST
    proactive = report.proactive if fmt == "2021" else report.proactive_2019
    for spec in specs:
        proactive[spec.key] = {column.key: (round(rng.uniform(0, 50), 2) if column.key in spec.decimal
                                            else rng.randrange(0, 20)) for column in spec.columns}
    report.sync_shared_decisions()
    report.sections = {"overview": f"{agency}{year}年度政府信息公开工作总体情况{SAMPLE_NOTE}。",
                       "problems": f"存在的主要问题及改进情况{SAMPLE_NOTE}。", "other": "无。"}
    return report


def write_sources(folder: Path, reports: list[tuple[AnnualReport, str | None]], list_name: str = "reports.lst") -> Path:
    """Each (report, region code) rendered into ``folder``; returns the list file naming them."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["# gongkai corpus ingest 的文件列表：文件，制表符，行政区划代码" + SAMPLE_NOTE]
    for number, (report, region) in enumerate(reports):
        fmt = "md" if number % 2 == 0 else "html"
        path = folder / f"示例-{report.year}-{number:03d}.{fmt}"
        data = render(report, fmt)
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
        lines.append(f"{path.resolve()}\t{region}" if region else str(path.resolve()))
    listing = folder / list_name
    listing.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return listing
