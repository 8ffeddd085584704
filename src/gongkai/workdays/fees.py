"""信息处理费 under 国办函〔2020〕109号《政府信息公开信息处理费管理办法》.

第三条: a fee is charged either per application (按件) or per page (按量), each by 超额累进
(only the part above each threshold pays that band's rate), and never both for the same
application.  Amounts are whole yuan.

按件 (第四条), by the applicant's cumulative count of applications in one calendar month:

* 1–10 件: free;
* 11–30 件: 100 元/件;
* from 31 件: bands of 10 件, each band 100 元/件 dearer than the one before.

Interpretation point (../shared/domain/legal-rules.md §2, not settled by the text we have):
"以10件为一档，每增加一档，收费标准提高100元/件" is read here as the first band above 30
(件 31–40) already being one step up, 200 元/件; 41–50 are 300 元/件, and so on.  The other
reading would keep 31–40 at 100 元/件 and start the rise at 41.  ``PER_APPLICATION_FIRST_RAISED_BAND``
names where the rise starts, so the choice is made in one place.

按量 (第五条, as reproduced in the 新会区 fee table): 1–30 pages free; 31–100 pages 10 元/页;
101–200 pages 20 元/页; from 201 pages 40 元/页.
"""

from __future__ import annotations

from dataclasses import dataclass

FREE_APPLICATIONS_PER_MONTH = 10
PER_APPLICATION_BASE_RATE = 100  # 元/件 for the 11th to the 30th application of a month
PER_APPLICATION_BAND_START = 31  # from here, bands of 10 件 each 100 元/件 dearer
PER_APPLICATION_BAND_SIZE = 10
PER_APPLICATION_BAND_STEP = 100
PER_APPLICATION_FIRST_RAISED_BAND = 1  # 31–40 is the first band that is 100 元 dearer (200 元/件)

# (first page, last page or None for no limit, 元 per page)
PAGE_BANDS = ((1, 30, 0), (31, 100, 10), (101, 200, 20), (201, None, 40))


@dataclass(frozen=True)
class FeeBand:
    first: int
    last: int
    rate: int  # 元 per 件 or per page

    @property
    def amount(self) -> int:
        return (self.last - self.first + 1) * self.rate

    @property
    def span(self) -> str:
        return str(self.first) if self.first == self.last else f"{self.first}—{self.last}"


@dataclass(frozen=True)
class Fee:
    """A fee and the bands it is made of, so the charge notice can show the arithmetic."""

    basis: str  # "按件" or "按量"
    quantity: int
    bands: tuple[FeeBand, ...]

    @property
    def amount(self) -> int:
        return sum(band.amount for band in self.bands)

    def explain(self) -> str:
        unit = "件" if self.basis == "按件" else "页"
        parts = [f"第 {b.span} {unit} × {b.rate} 元 = {b.amount} 元" for b in self.bands if b.rate]
        body = "；".join(parts) if parts else f"{self.quantity} {unit}以内不收费"
        return f"{self.basis}计收 {self.quantity} {unit}：{body}；合计 {self.amount} 元"


def per_application_rate(number: int) -> int:
    """元 charged for the ``number``-th application of the applicant in the calendar month."""
    if number < 1:
        raise ValueError("件数从 1 开始")
    if number <= FREE_APPLICATIONS_PER_MONTH:
        return 0
    if number < PER_APPLICATION_BAND_START:
        return PER_APPLICATION_BASE_RATE
    band = (number - PER_APPLICATION_BAND_START) // PER_APPLICATION_BAND_SIZE  # 0 for 31–40
    return PER_APPLICATION_BASE_RATE + PER_APPLICATION_BAND_STEP * (band + PER_APPLICATION_FIRST_RAISED_BAND)


def fee_by_count(applications_in_month: int) -> Fee:
    """按件计收 (第四条): the total for an applicant's ``applications_in_month`` applications."""
    _require_count(applications_in_month, "件数")
    return fee_for_applications(1, applications_in_month)


def fee_for_applications(first: int, count: int) -> Fee:
    """按件: the fee of ``count`` 件 that are the ``first``-th, … of the applicant's month (超额累进)."""
    _require_count(first, "起始件次")
    _require_count(count, "件数")
    bands: list[FeeBand] = []
    for number in range(first, first + count):
        rate = per_application_rate(number)
        if bands and bands[-1].rate == rate:
            bands[-1] = FeeBand(bands[-1].first, number, rate)
        else:
            bands.append(FeeBand(number, number, rate))
    return Fee("按件", count, tuple(bands))


def fee_for_nth_application(number: int) -> int:
    """按件: what one more application costs when it is the ``number``-th of the month."""
    return per_application_rate(number)


def fee_by_pages(pages: int) -> Fee:
    """按量计收 (第五条): the total for ``pages`` pages of one application."""
    _require_count(pages, "页数")
    bands = []
    for first, last, rate in PAGE_BANDS:
        if pages < first:
            break
        bands.append(FeeBand(first, pages if last is None else min(last, pages), rate))
    return Fee("按量", pages, tuple(bands))


def _require_count(value: int, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{what}应为非负整数，而不是「{value}」")
