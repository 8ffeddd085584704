"""``gongkai deadline`` and ``gongkai workdays add|is-workday``: working days from the command line.

``gongkai deadline RECEIVED`` prints the reply due date (YYYY-MM-DD) on its first line;
``--explain`` adds the count day by day.  ``gongkai workdays is-workday`` exits 0 for a
working day and 1 for a day off, so scripts can test it.  Every command takes
``--calendar FILE`` (repeatable) to add holiday schedules, as does the environment
variable GONGKAI_WORKDAYS_FILE.
"""

from __future__ import annotations

import argparse
import re
from datetime import date

from ..workdays import FILE_FORMAT_HELP, load_calendar, reply_due
from ..workdays.calendar import weekday_name
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


def add_calendar_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--calendar", action="append", default=[], metavar="FILE",
                        help="补充的节假日安排文件（格式见 gongkai workdays --help），可多次给出")


def calendar_from(args):
    return load_calendar(args.calendar)


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
        consultations=[(parse_date_argument(start, "征求意见开始日期"), parse_date_argument(end, "征求意见结束日期"))
                       for start, end in args.consultation],
        extension_days=parse_int_argument(args.extension, "延长的工作日数"),
        calendar=calendar,
    )
    print(deadline.due.isoformat())
    if args.explain:
        print(deadline.explain())
    return 0


def run_add(args) -> int:
    calendar = calendar_from(args)
    result = calendar.add_working_days(parse_date_argument(args.day, "日期"), parse_int_argument(args.count, "工作日数"))
    print(result.isoformat())
    return 0


def run_is_workday(args) -> int:
    calendar = calendar_from(args)
    day = parse_date_argument(args.day, "日期")
    working = calendar.is_workday(day)
    verdict = "是工作日" if working else "不是工作日"
    reason = calendar.describe(day)
    note = "" if reason == "工作日" else f"（{reason}）"
    print(f"{day.isoformat()}（{weekday_name(day)}）{verdict}{note}")
    return EXIT_WORKDAY if working else EXIT_DAY_OFF
