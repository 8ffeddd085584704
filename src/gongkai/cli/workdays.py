"""``gongkai deadline`` and ``gongkai workdays add|is-workday``: working days from the command line.

``gongkai deadline RECEIVED`` prints the reply due date (YYYY-MM-DD) on its first line;
``--explain`` adds the count day by day.  ``gongkai workdays is-workday`` exits 0 for a
working day and 1 for a day off, so scripts can test it.  Every command takes
``--calendar FILE`` (repeatable) to add holiday schedules, as does the environment
variable GONGKAI_WORKDAYS_FILE.  A year after the last schedule is answered from the
statutory holidays and weekends (``WorkCalendar.provisional_years``), and the answer says
预计 and why on the next line.
"""

from __future__ import annotations

import argparse
import re
from datetime import date

from ..workdays import FILE_FORMAT_HELP, PROVISIONAL_MARK, load_calendar, provisional_reason, reply_due
from ..workdays.calendar import weekday_name
from ..workdays.errors import WorkdaysError
from ..workdays.notice import notice_text, parse_notice
from .errors import CommandError

EXIT_WORKDAY, EXIT_DAY_OFF = 0, 1


def register(subparsers) -> None:
    deadline = subparsers.add_parser(
        "deadline", help="计算依申请公开的答复期限（条例第三十条、第三十三条）",
        description="计算答复期限：收到申请之日后第 20 个工作日；补正后自收到补正之日起重新计算；"
                    "征求意见期间不计；经批准可延长至多 20 个工作日。第一行输出期限日期 YYYY-MM-DD。",
        epilog=FILE_FORMAT_HELP, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    deadline.add_argument("received", metavar="RECEIVED", help="收到申请日期，如 2021-09-28")
    deadline.add_argument("--correction-requested", metavar="D", help="告知补正的日期（条例第三十条）")
    deadline.add_argument("--correction-received", metavar="D", help="收到补正后申请的日期")
    deadline.add_argument("--consultation", nargs=2, action="append", default=[], metavar=("START", "END"),
                          help="征求意见的起止日期（含首尾两日），可多次给出")
    deadline.add_argument("--extension", metavar="N", default="0", help="经批准延长的工作日数（最多 20）")
    deadline.add_argument("--explain", action="store_true", help="逐日说明期限是怎样算出的")
    add_calendar_option(deadline)
    deadline.set_defaults(handler=run_deadline)

    workdays = subparsers.add_parser(
        "workdays", help="工作日日历：推算、查询",
        epilog=FILE_FORMAT_HELP, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = workdays.add_subparsers(dest="workdays_command", metavar="ACTION")
    commands.required = True
    add = commands.add_parser("add", help="某日之后第 N 个工作日（N 为负数时向前数）")
    add.add_argument("count", metavar="N")
    add.add_argument("day", metavar="DATE")
    add_calendar_option(add)
    add.set_defaults(handler=run_add)
    is_workday = commands.add_parser("is-workday", help="某日是否工作日：是则退出码 0，否则 1")
    is_workday.add_argument("day", metavar="DATE")
    add_calendar_option(is_workday)
    is_workday.set_defaults(handler=run_is_workday)
    notice = commands.add_parser(
        "import-notice", help="读取国务院办公厅部分节假日安排的通知（文本或网页），写成工作日安排文件",
        description="读取“国务院办公厅关于X年部分节假日安排的通知”的全文（TXT 或网页 HTML），显示读到的安排，"
                    "并把该年写成工作日安排文件（可用于 --calendar 或 GONGKAI_WORKDAYS_FILE）。"
                    "有任何一句读不懂时不写文件，退出码 2。")
    notice.add_argument("notice", metavar="NOTICE", help="通知全文的文件")
    notice.add_argument("-o", "--output", metavar="CALENDAR.csv", help="写出的工作日安排文件（缺省时写到标准输出）")
    add_calendar_option(notice)
    notice.set_defaults(handler=run_import_notice)


def add_calendar_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--calendar", action="append", default=[], metavar="FILE",
                        help="补充的节假日安排文件（格式见 gongkai workdays --help），可多次给出")


def calendar_from(args):
    return load_calendar(args.calendar, provisional=True)


def print_provisional(years) -> None:
    """The second line of an answer resting on a year without a published schedule."""
    if years:
        print(f"{PROVISIONAL_MARK}：{provisional_reason(years)}")


_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def parse_date_argument(text: str, what: str) -> date:
    match = _ISO_DATE.fullmatch(text.strip())
    if not match:
        raise CommandError(f"{what}「{text}」应写作 YYYY-MM-DD，如 2021-09-28")
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        raise CommandError(f"{what}「{text}」不是存在的日期") from None


def parse_int_argument(text: str, what: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise CommandError(f"{what}「{text}」应为整数") from None


def run_deadline(args) -> int:
    calendar = calendar_from(args)
    deadline = reply_due(
        parse_date_argument(args.received, "收到申请日期"),
        correction_received=(parse_date_argument(args.correction_received, "收到补正日期")
                             if args.correction_received else None),
        correction_requested=(parse_date_argument(args.correction_requested, "补正告知日期")
                              if args.correction_requested else None),
        consultations=[(parse_date_argument(start, "征求意见开始日期"), parse_date_argument(end, "征求意见结束日期"))
                       for start, end in args.consultation],
        extension_days=parse_int_argument(args.extension, "延长的工作日数"),
        calendar=calendar,
    )
    print(deadline.due.isoformat())
    if args.explain:
        print(deadline.explain())  # its last line says 预计 and why
    else:
        print_provisional(deadline.provisional_years)
    return 0


def run_add(args) -> int:
    calendar = calendar_from(args)
    start = parse_date_argument(args.day, "日期")
    result = calendar.add_working_days(start, parse_int_argument(args.count, "工作日数"))
    print(result.isoformat())
    print_provisional(calendar.provisional_years_in([start, result]))
    return 0


def run_is_workday(args) -> int:
    calendar = calendar_from(args)
    day = parse_date_argument(args.day, "日期")
    working = calendar.is_workday(day)
    verdict = "是工作日" if working else "不是工作日"
    reason = calendar.describe(day, mark_provisional=False)
    note = "" if reason == "工作日" else f"（{reason}）"
    mark = PROVISIONAL_MARK if calendar.is_provisional(day) else ""
    print(f"{day.isoformat()}（{weekday_name(day)}）{mark}{verdict}{note}")
    print_provisional(calendar.provisional_years_in([day]))
    return EXIT_WORKDAY if working else EXIT_DAY_OFF


def run_import_notice(args) -> int:
    import sys
    from pathlib import Path

    try:
        data = Path(args.notice).read_bytes()
    except OSError as error:
        raise CommandError(f"{args.notice}：无法读取（{error.strerror}）") from None
    try:
        notice = parse_notice(notice_text(data))
    except WorkdaysError as error:
        raise error.at(args.notice) from None
    calendar = load_calendar(args.calendar)
    covered = range(calendar.first_year, calendar.last_year + 1)
    text = notice.file_text(covered)
    summary = notice.summary(covered)
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"{args.output}：无法写入（{error.strerror}）") from None
        print(summary)
        print(f"已写入 {args.output}；使用：--calendar {args.output} 或 GONGKAI_WORKDAYS_FILE={args.output}")
    else:
        print(summary, file=sys.stderr)
        sys.stdout.write(text)
    if notice.year in covered:
        print(f"注意：已载入的安排中已有 {notice.year} 年；使用本文件时，其中的日期以本文件为准。", file=sys.stderr)
    elif notice.year != calendar.last_year + 1:
        print(f"注意：已有 {calendar.first_year}—{calendar.last_year} 年的安排，{notice.year} 年的文件须在补充"
              f"{calendar.last_year + 1} 年之后才能使用（年份须相连）。", file=sys.stderr)
    return 0
