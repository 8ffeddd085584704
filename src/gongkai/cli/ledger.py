"""``gongkai ledger report|check``: table 三 and deadline findings from an application ledger.

Exit codes: 0 success (``check``: no row errors), 1 rows with errors (listed by ``check``;
``report`` names the first and refuses), 2 the file cannot be read as a ledger.
"""

from __future__ import annotations

import unicodedata
from datetime import date

from ..ledger import LedgerReport, check_ledger, read_ledger, report_from_ledger
from ..ledger.deadlines import DEFAULT_DUE_WITHIN, FindingList
from ..report import taxonomy as tx
from .errors import CommandError
from .workdays import add_calendar_option, calendar_from, parse_date_argument

EXIT_OK, EXIT_ROW_ERRORS = 0, 1
FINDINGS_SHOWN = 20  # ids listed per finding in the text output; --explain lists a cell in full


def register(subparsers) -> None:
    ledger = subparsers.add_parser("ledger", help="依申请公开台账：生成表三、期限分析、检查")
    commands = ledger.add_subparsers(dest="ledger_command", metavar="ACTION")
    commands.required = True

    report = commands.add_parser("report", help="从台账生成某年度报告的表三及期限分析")
    report.add_argument("file", metavar="LEDGER", help="台账文件（CSV 或 XLSX）")
    report.add_argument("--year", required=True, type=int, metavar="Y", help="报告年度")
    report.add_argument("--agency", metavar="NAME", help="机关名称")
    output = report.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="输出报告 JSON（表三之外的表为 null）")
    output.add_argument("--explain", metavar="KEY.COLUMN",
                        help="列出某个单元格背后的申请，如 withheld.third_party_rights.natural_person")
    report.add_argument("--as-of", metavar="D", help="期限分析的基准日（默认：往年为 12 月 31 日，今年为今天）")
    report.add_argument("--due-within", metavar="N", type=int, default=DEFAULT_DUE_WITHIN,
                        help=f"列出 N 个工作日内到期的申请（默认 {DEFAULT_DUE_WITHIN}）")
    add_calendar_option(report)
    report.set_defaults(handler=run_report)

    check = commands.add_parser("check", help="检查台账：0 无错误，1 有错误行（逐条列出），2 文件无法读取")
    check.add_argument("file", metavar="LEDGER")
    check.add_argument("--year", type=int, metavar="Y", help="只要求该年度表三涉及的申请有节假日安排")
    add_calendar_option(check)
    check.set_defaults(handler=run_check)


# ---------------------------------------------------------------- report

def run_report(args) -> int:
    calendar = calendar_from(args)
    as_of = parse_date_argument(args.as_of, "基准日") if args.as_of else None
    if args.due_within < 0:
        raise CommandError(f"--due-within 不能为负数（{args.due_within}）")
    cell = parse_cell(args.explain) if args.explain else None
    ledger = read_ledger(args.file)
    result = report_from_ledger(ledger, args.year, agency=args.agency, calendar=calendar, as_of=as_of,
                                due_within=args.due_within)
    if args.json:
        print(result.report.dumps())
    elif cell is not None:
        print(explain_cell(result, *cell))
    else:
        print(render_table(result))
        print()
        print(render_findings(result))
    return EXIT_OK


def parse_cell(text: str) -> tuple[str, str]:
    """``withheld.third_party_rights.natural_person`` (or Chinese labels) as (row key, column key)."""
    row_text, _, column_text = text.rpartition(".")
    row = _row_key(row_text)
    column = column_text if column_text in tx.APPLICANT_COLUMN_KEYS else _column_key(column_text)
    if not row_text or row is None or column is None:
        raise CommandError(
            f"无法识别的单元格「{text}」，应为 行键.列键，如 withheld.third_party_rights.natural_person 或 予以公开.自然人"
        )
    return row, column


def _row_key(text: str) -> str | None:
    if text in tx.APPLICATION_ROWS:
        return text
    for key in ("new", "carried_over", "total", "carried_forward"):
        if text in (tx.APPLICATION_ROWS[key].label, tx.outcome_short_label(key)):
            return key
    return tx.outcome_from_label(text) if text else None


def _column_key(text: str) -> str | None:
    if text == tx.APPLICANT_COLUMNS["total"].label:
        return "total"
    return tx.applicant_from_label(text)


def explain_cell(result: LedgerReport, row: str, column: str) -> str:
    report = result.report
    if row not in report.application_row_keys():
        raise CommandError(f"{report.year} 年的报告格式（{report.format}）没有「{tx.outcome_short_label(row)}」行")
    ledger = result.table.ledger
    indices = result.table.indices(row, column)
    lines = [f"{tx.cell_label('applications', row, column)}：{len(indices)} 件（{report.year} 年）"]
    for index in indices:
        closed = ledger.dates["closed"][index].as_py()
        closed_text = f"，办结 {date.fromordinal(closed).isoformat()}" if closed is not None else "，未办结"
        received = date.fromordinal(ledger.dates["received"][index].as_py()).isoformat()
        lines.append(f"  {ledger.ids[index].as_py()}（第 {ledger.row_number(index)} 行，收到 {received}{closed_text}）")
    return "\n".join(lines)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, *, right: bool = False) -> str:
    gap = " " * max(0, width - _width(text))
    return gap + text if right else text + gap


def _row_title(key: str) -> str:
    row = tx.APPLICATION_ROWS[key]
    return f"{row.group} {row.label}" if row.number else row.label


def render_table(result: LedgerReport) -> str:
    report = result.report
    keys = report.application_row_keys()
    titles = {key: _row_title(key) for key in keys}
    label_width = min(max(_width(t) for t in titles.values()), 40)
    headers = [tx.APPLICANT_COLUMNS[c].label for c in tx.APPLICANT_COLUMN_KEYS]
    widths = [max(_width(h), 6) for h in headers]
    agency = f"{report.agency} " if report.agency else ""
    lines = [f"{agency}{report.year} 年度 三、收到和处理政府信息公开申请情况（{report.format} 年格式）",
             _pad("", label_width) + "  " + "  ".join(_pad(h, w, right=True) for h, w in zip(headers, widths, strict=True))]
    for key in keys:
        values = report.applications[key]
        title = titles[key] if _width(titles[key]) <= label_width else titles[key][: label_width // 2 - 1] + "…"
        cells = "  ".join(_pad(str(values[c]), w, right=True) for c, w in zip(tx.APPLICANT_COLUMN_KEYS, widths, strict=True))
        lines.append(_pad(title, label_width) + "  " + cells)
    lines.append(tx.BALANCE_NOTE)
    return "\n".join(lines)


def _finding_line(title: str, finding: FindingList, unit: str) -> list[str]:
    lines = [f"{title}：{len(finding)} 件"]
    for record in finding.records(FINDINGS_SHOWN):
        due = record["due"].isoformat() if record["due"] else "—"
        extra = f"，{unit} {record['working_days']} 个工作日" if record["working_days"] is not None else ""
        lines.append(f"  {record['id']}（第 {record['row']} 行，期限 {due}{extra}）")
    if len(finding) > FINDINGS_SHOWN:
        lines.append(f"  …… 另有 {len(finding) - FINDINGS_SHOWN} 件")
    return lines


def render_findings(result: LedgerReport) -> str:
    f = result.findings
    lines = [f"期限分析（{f.year} 年，基准日 {f.as_of.isoformat()}）"]
    lines += _finding_line("逾期答复", f.answered_late, "逾期")
    lines += _finding_line("超期未办结", f.open_past_due, "已超")
    lines += _finding_line(f"{f.due_within} 个工作日内到期", f.due_soon, "剩余")
    lines += _finding_line("补正告知超过 7 个工作日", f.correction_notice_late, "逾期")
    if len(f.awaiting_correction):
        lines.append(f"等待补正（答复期限尚未起算）：{len(f.awaiting_correction)} 件")
    if len(f.consultation_open):
        lines.append(f"征求意见中（答复期限暂停）：{len(f.consultation_open)} 件")
    if f.handled:
        lines.append(f"办理用时（工作日，不含征求意见期间）：{f.handled} 件，中位数 {f.median_working_days:g}，"
                     f"90 百分位 {f.p90_working_days:g}")
    if f.no_calendar:
        lines.append(f"缺少节假日安排、未计算期限：{len(f.no_calendar)} 件；第一处：{f.no_calendar[0]}")
    return "\n".join(lines)


# ---------------------------------------------------------------- check

def run_check(args) -> int:
    calendar = calendar_from(args)
    ledger = read_ledger(args.file)
    errors = check_ledger(ledger, year=args.year, calendar=calendar)
    extra = ledger.raw.extra_headers
    for error in errors:
        print(error)
    if extra:
        print(f"未识别的列（已忽略）：{'、'.join(extra)}")
    if errors:
        rows = len({error.row for error in errors})
        print(f"{args.file}：共 {len(ledger)} 件申请，{rows} 行有错误，共 {len(errors)} 处")
        return EXIT_ROW_ERRORS
    print(f"{args.file}：共 {len(ledger)} 件申请，未发现错误")
    return EXIT_OK
