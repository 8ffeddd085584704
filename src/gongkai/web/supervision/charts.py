"""The dashboard's charts, drawn from the figures its tables show (``dashboard.Dashboard``)."""

from __future__ import annotations

from gongkai.web.charts.options import Chart, Point, Series, bar_chart, line_chart

from .dashboard import Dashboard, Rate

UNITS_CHARTED = 15  # the units with the most overdue items; the table lists them all


def _rate_point(rate: Rate) -> Point:
    return Point(rate.percent, url=rate.url, count=rate.count, of=rate.of)


def dashboard_charts(board: Dashboard) -> dict[str, Chart]:
    labels = [month.label for month in board.months]
    rates = line_chart("rates", "每月按时率（%）", labels, [
        Series("答复按时率", [_rate_point(m.answered) for m in board.months]),
        Series("周打卡按时率", [_rate_point(m.checkins) for m in board.months]),
    ], percent=True)
    findings = bar_chart("findings", "每月巡查问题（个）", labels, [
        Series("发现问题", [Point(m.found, url=m.found_url) for m in board.months]),
        Series("其中已整改通过", [Point(m.accepted, url=m.accepted_url) for m in board.months]),
    ], unit="个")
    units = sorted((u for u in board.units if u.agency is not None and sum(o.count for o in u.overdue)),
                   key=lambda u: -sum(o.count for o in u.overdue))[:UNITS_CHARTED]
    overdue = bar_chart("overdue", "各单位逾期事项（个）", [u.name for u in units], [
        Series(total.title, [Point(u.overdue[i].count, url=u.overdue[i].url) for u in units], stack="overdue")
        for i, total in enumerate(board.overdue)
    ], unit="个")
    return {"rates": rates, "findings": findings, "overdue": overdue}
