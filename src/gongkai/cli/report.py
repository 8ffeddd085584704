"""``gongkai report parse|check|render``: the annual report from the command line.

Exit codes follow design.md: 0 no errors, 1 consistency errors found (``check``), 2 a
file could not be read or is not an annual report (one line on stderr, no traceback).
With many files every file is processed; a bad file is reported and skipped.  Many
files are read on every core, and printed in the order given.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from ..errors import os_reason
from ..report import taxonomy as tx
from ..report.checks import check_report
from ..report.errors import ReportError
from ..report.model import AnnualReport
from ..report.read import read_report
from .errors import CommandError

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2


def register(subparsers) -> None:
    report = subparsers.add_parser("report", help="年度报告：读取、检查、生成")
    commands = report.add_subparsers(dest="report_command", metavar="ACTION")
    commands.required = True

    parse = commands.add_parser("parse", help="读取已发布的年度报告，输出数据")
    parse.add_argument("files", nargs="+", metavar="FILE")
    parse.add_argument("--json", action="store_true", help="输出报告 JSON（多个文件时每行一个）")
    parse.add_argument("--out", metavar="DIR", help="每个文件的 JSON 写入此目录")
    parse.set_defaults(handler=run_parse)

    check = commands.add_parser("check", help="检查年度报告的勾稽关系和常见问题")
    check.add_argument("files", nargs="+", metavar="FILE")
    check.add_argument("--previous", metavar="FILE", help="同一单位上一年度的报告，用于核对上年结转")
    check.add_argument("--json", action="store_true", help="以 JSON 输出检查结果")
    check.set_defaults(handler=run_check)

    render = commands.add_parser("render", help="把报告写成 JSON、Markdown、HTML、DOCX 或 PDF")
    render.add_argument("file", metavar="FILE", help="报告 JSON 或任何可读取的报告文件")
    render.add_argument("--to", required=True, choices=("json", "md", "html", "docx", "pdf"))
    render.add_argument("-o", "--output", required=True, metavar="OUT")
    render.set_defaults(handler=run_render)

    build = commands.add_parser("build", help="从系统数据库生成某机构某年度的报告")
    build.add_argument("--agency", required=True, metavar="NAME", help="机构全称")
    build.add_argument("--year", required=True, type=int, metavar="Y")
    build.add_argument("--json", action="store_true", help="输出报告 JSON（目前唯一的输出方式，可省略）")
    build.add_argument("--data-dir", metavar="DIR", help="数据目录（默认 ./var）；或用 DATABASE_URL 指定数据库")
    build.set_defaults(handler=run_build)


class Progress:
    """A one-line progress bar on stderr, shown only on a terminal and for many files."""

    def __init__(self, total: int):
        self.total = total
        self.enabled = total > 1 and sys.stderr.isatty()
        self.done = 0

    def step(self, name: str) -> None:
        self.done += 1
        if self.enabled:
            width = 30
            filled = width * self.done // self.total
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} {name[:40]:<40}")
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")


def _read_one(name: str) -> tuple[AnnualReport | None, str | None]:
    """One file's report, or the one-line reason it cannot be read (sent back from a worker)."""
    try:
        return read_report(name), None
    except ReportError as error:
        return None, str(error.at(name))


def _workers(files: list[str]) -> int:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return min(cores, len(files))


def _read_each(files: list[str]):
    """Yield (file, report or None) in the order given; unreadable files are reported on stderr."""
    progress = Progress(len(files))
    workers = _workers(files)
    pool = None
    if workers > 1:
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(workers)
    try:
        results = pool.map(_read_one, files, chunksize=max(1, len(files) // (workers * 8))) if pool \
            else map(_read_one, files)
        for name, (report, reason) in zip(files, results, strict=True):
            if reason is not None:
                if progress.enabled:
                    sys.stderr.write("\n")
                print(f"gongkai: {reason}", file=sys.stderr)
            progress.step(Path(name).name)
            yield name, report
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        progress.close()


def run_parse(args) -> int:
    code = EXIT_OK
    out_dir = Path(args.out) if args.out else None
    if out_dir:
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(f"无法创建输出目录「{out_dir}」：{os_reason(error)}") from None
    single = len(args.files) == 1
    for name, report in _read_each(args.files):
        if report is None:
            code = EXIT_UNREADABLE
            continue
        if out_dir:
            from ..report.write import write_file

            write_file(report, out_dir / (Path(name).stem + ".json"), "json")
        if args.json:
            print(report.dumps(indent=2 if single else None))
        elif not out_dir:
            print(summary(report, name))
    return code


def run_check(args) -> int:
    previous = None
    if args.previous:
        try:
            previous = read_report(args.previous)
        except ReportError as error:
            raise error.at(args.previous) from None
    code = EXIT_OK
    single = len(args.files) == 1
    for name, report in _read_each(args.files):
        if report is None:
            code = EXIT_UNREADABLE
            continue
        if previous is not None:
            check_report(report, previous=previous)
        errors = report.errors()
        if errors and code == EXIT_OK:
            code = EXIT_ERRORS
        if args.json:
            result = {"file": name, "agency": report.agency, "year": report.year, "format": report.format,
                      "errors": len(errors), "issues": [issue.to_json() for issue in report.issues]}
            print(json.dumps(result, ensure_ascii=False, indent=2 if single else None))
        else:
            print(issue_listing(report, name))
    return code


def run_render(args) -> int:
    from ..report.write import write_file

    try:
        report = read_report(args.file)
    except ReportError as error:
        raise error.at(args.file) from None
    written = write_file(report, args.output, args.to)
    print(f"已写入 {args.output}（{written.stat().st_size} 字节）", file=sys.stderr)
    return EXIT_OK


# ---------------------------------------------------------------- human-readable output

def summary(report: AnnualReport, name: str) -> str:
    lines = [f"{name}: {report.agency or '（未识别单位）'} {report.year or '（未识别年度）'}年度，{report.format} 年格式"]
    rows = report.applications
    for key in ("new", "carried_over", "total", "carried_forward"):
        values = rows.get(key) or {}
        lines.append(f"  {tx.APPLICATION_ROWS[key].label}：{_show(values.get('total'))}")
    review = report.appeals.get("review") or {}
    lines.append(f"  行政复议总计：{_show(review.get('total'))}")
    lines.append(_issue_counts(report))
    return "\n".join(lines)


def issue_listing(report: AnnualReport, name: str) -> str:
    lines = [f"{name}: {report.agency or '（未识别单位）'} {report.year or ''}年度 — {_issue_counts(report).strip()}"]
    marks = {"error": "错误", "warning": "警告", "info": "提示"}
    for issue in report.issues:
        lines.append(f"  [{marks.get(issue.severity, issue.severity)}] {issue.text}")
    return "\n".join(lines)


def _issue_counts(report: AnnualReport) -> str:
    errors = sum(1 for i in report.issues if i.severity == "error")
    warnings = sum(1 for i in report.issues if i.severity == "warning")
    if not errors and not warnings:
        return "  检查通过，没有发现问题"
    return f"  {errors} 个错误，{warnings} 个警告"


def _show(value) -> str:
    return "空" if value is None else str(value)


def run_build(args) -> int:
    # Django is imported here only, so parse/check/render stay free of it.
    from .web import setup_django

    setup_django(data_dir=args.data_dir)
    from django.db import DatabaseError

    from gongkai.web.agencies.models import Agency
    from gongkai.web.annual.build import annual_report

    try:
        agency = Agency.objects.filter(full_name=args.agency).first()
    except DatabaseError as error:
        raise CommandError(f"无法读取数据库（{error}）；请先运行 gongkai demo --load-only，或设置 DATABASE_URL") from None
    if agency is None:
        raise CommandError(f"数据库中没有机构「{args.agency}」")
    print(annual_report(agency, args.year).dumps(indent=2))
    return EXIT_OK
