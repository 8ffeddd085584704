"""The statutory public holidays of 《全国年节及纪念日放假办法》, for years without a State Council schedule.

The 办法 fixes which days are 全体公民放假的节日; each year's notice (国务院办公厅关于X年部分节假日
安排的通知) then moves days around them (调休) and joins them to weekends.  Before that notice is
published only the statutory days are certain, so a *provisional* year is these days plus the
weekends, with no 调休 guessed.

Two versions of 第二条 apply to the years gongkai handles:

* 国务院令第644号 (2013, in force 2014-01-01): 元旦 1 day, 春节 3 days (初一至初三), 清明 1 day,
  劳动节 1 day (5月1日), 端午 1 day, 中秋 1 day, 国庆 3 days (10月1日至3日);
* 国务院令第795号 (2024, in force 2025-01-01): 春节 4 days (除夕 and 初一至初三) and 劳动节 2 days
  (5月1日、2日); the rest unchanged.

Lunar dates (春节、端午、中秋) and the solar term 清明 come from borax's ``LunarDate`` and
``TermUtils`` (MIT), which cover 1900–2100.

    >>> [(day.isoformat(), name) for day, name in statutory_holidays(2027)][:5]
    [('2027-01-01', '元旦'), ('2027-02-05', '春节'), ('2027-02-06', '春节'), ('2027-02-07', '春节'), ('2027-02-08', '春节')]
"""

from __future__ import annotations

from datetime import date, timedelta

from borax.calendars.lunardate import LunarDate, TermUtils

AMENDED_2024_FROM = 2025  # 国务院令第795号 in force from 2025-01-01
LUNAR_FIRST_YEAR, LUNAR_LAST_YEAR = 1901, 2100  # what borax's tables cover (its 1900 lacks the eve)

RULES_2014 = "《全国年节及纪念日放假办法》（国务院令第644号）"
RULES_2025 = "《全国年节及纪念日放假办法》（2024年修订，国务院令第795号）"


def rules_in_force(year: int) -> str:
    return RULES_2025 if year >= AMENDED_2024_FROM else RULES_2014


def statutory_holidays(year: int) -> list[tuple[date, str]]:
    """Every statutory holiday of ``year`` (第二条 as in force that year), in date order."""
    if not LUNAR_FIRST_YEAR <= year <= LUNAR_LAST_YEAR:
        raise ValueError(f"农历换算只支持 {LUNAR_FIRST_YEAR}—{LUNAR_LAST_YEAR} 年")
    amended = year >= AMENDED_2024_FROM
    new_year = LunarDate(year, 1, 1).to_solar_date()
    # 除夕 is the day before 正月初一 (腊月廿九 or 三十, whichever ends the lunar year).
    spring = [new_year + timedelta(days=n) for n in range(-1 if amended else 0, 3)]
    days = [(date(year, 1, 1), "元旦")]
    days += [(day, "春节") for day in spring]
    days.append((TermUtils.nth_term_day(year, term_name="清明"), "清明节"))
    days += [(date(year, 5, day), "劳动节") for day in ((1, 2) if amended else (1,))]
    days.append((LunarDate(year, 5, 5).to_solar_date(), "端午节"))
    days.append((LunarDate(year, 8, 15).to_solar_date(), "中秋节"))
    days += [(date(year, 10, day), "国庆节") for day in (1, 2, 3)]
    return sorted(days)
