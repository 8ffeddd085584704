"""ECharts options built on the server from figures the page already shows.

A page computes its numbers once, shows them in a table (the numbers a reader can copy and
a screen reader can read) and hands the same numbers to a ``Chart``; the browser only draws.
A point may carry ``url``: clicking it opens the records behind it, as the table's link does.
Rates are drawn as percentages but their tooltips keep the counts (``count`` / ``of``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Point:
    value: float | None
    url: str = ""
    count: int | None = None  # a rate's numerator, shown beside it
    of: int | None = None  # a rate's denominator

    def as_option(self) -> dict[str, Any]:
        item: dict[str, Any] = {"value": self.value}
        if self.url:
            item["url"] = self.url
        if self.of is not None:
            item["count"], item["of"] = self.count, self.of
        return item


@dataclass(frozen=True)
class Series:
    name: str
    points: Sequence[Point | float | int | None]
    stack: str = ""  # series with the same stack are drawn on top of each other

    def data(self) -> list[dict[str, Any]]:
        return [(p if isinstance(p, Point) else Point(p)).as_option() for p in self.points]


@dataclass(frozen=True)
class Chart:
    """One chart: ``slug`` names it in the page (unique per page), ``title`` is its caption."""

    slug: str
    title: str
    option: dict[str, Any] = field(default_factory=dict)

    @property
    def element_id(self) -> str:
        return f"chart-{self.slug}"


def _axis_chart(kind: str, slug: str, title: str, categories: Sequence[str], series: Sequence[Series],
                *, unit: str = "", percent: bool = False) -> Chart:
    option: dict[str, Any] = {
        "tooltip": {"trigger": "axis"},
        "legend": {"type": "scroll", "bottom": 0},
        "grid": {"left": 48, "right": 16, "top": 24, "bottom": 48, "containLabel": True},
        "xAxis": {"type": "category", "data": list(categories)},
        "yAxis": {"type": "value", "name": unit, "minInterval": 1},
        "series": [
            {"type": kind, "name": s.name, "data": s.data(), **({"stack": s.stack} if s.stack else {})}
            for s in series
        ],
        # charts.js reads these two: the tooltip's format and the y axis' range
        "gongkai": {"percent": percent},
    }
    if percent:
        option["yAxis"].update({"min": 0, "max": 100, "name": unit or "%"})
    return Chart(slug, title, option)


def line_chart(slug: str, title: str, categories: Sequence[str], series: Sequence[Series], **kwargs) -> Chart:
    """A trend: one line per series over ``categories`` (months, years)."""
    return _axis_chart("line", slug, title, categories, series, **kwargs)


def bar_chart(slug: str, title: str, categories: Sequence[str], series: Sequence[Series], **kwargs) -> Chart:
    """Figures side by side (or stacked, by ``Series.stack``) for each of ``categories``."""
    return _axis_chart("bar", slug, title, categories, series, **kwargs)
