"""Regenerate ``data/cn-workdays.csv`` from the chinese-calendar package.

Run ``python -m gongkai.workdays.seed > src/gongkai/workdays/data/cn-workdays.csv``
when chinese-calendar publishes a new year.  The shipped file is the source of truth at
run time; chinese-calendar is only the seed, and ``holidays`` cross-checks it in tests.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date

from .schedule import FILE_FORMAT_HELP, HOLIDAY, MAKEUP_WORKDAY

FIRST_YEAR = 2019
LAST_YEAR = 2026

# chinese-calendar's English names, as the Chinese names the State Council notices use.
CHINESE_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
}

# Days whose notice names them differently from chinese-calendar.
NAME_OVERRIDES = {
    # 国办发明电〔2020〕1号 extended the 2020 Spring Festival holiday to 2 February,
    # cancelling the make-up working day of Saturday 1 February.
    date(2020, 1, 31): "春节（延长假期）",
    date(2020, 2, 1): "春节（延长假期）",
    date(2020, 2, 2): "春节（延长假期）",
    # 国办发明电〔2019〕16号: 国庆节、中秋节 were one holiday in 2020.
    **{date(2020, 10, day): "国庆节、中秋节" for day in range(1, 9)},
}


def schedule_rows(first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR) -> list[tuple[date, str, str]]:
    """Every exception day of the given years: (date, kind, Chinese name)."""
    import chinese_calendar

    rows = []
    for day, name in chinese_calendar.holidays.items():
        if first_year <= day.year <= last_year:
            rows.append((day, HOLIDAY, NAME_OVERRIDES.get(day, CHINESE_NAMES[name])))
    for day, name in chinese_calendar.workdays.items():
        if first_year <= day.year <= last_year:
            rows.append((day, MAKEUP_WORKDAY, CHINESE_NAMES[name]))
    return sorted(rows)


def render(rows) -> str:
    header = "".join(f"# {line}".rstrip() + "\n" for line in FILE_FORMAT_HELP.strip().splitlines())
    body = "".join(f"{day.isoformat()},{kind},{name}\n" for day, kind, name in rows)
    return header + "date,kind,name\n" + body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="从 chinese-calendar 生成工作日安排数据文件")
    parser.add_argument("--first-year", type=int, default=FIRST_YEAR)
    parser.add_argument("--last-year", type=int, default=LAST_YEAR)
    args = parser.parse_args(argv)
    sys.stdout.write(render(schedule_rows(args.first_year, args.last_year)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
