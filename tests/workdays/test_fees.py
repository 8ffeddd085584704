"""信息处理费 (国办函〔2020〕109号) worked out from the bands of 第四条 and 第五条."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.workdays.fees import fee_by_count, fee_by_pages, fee_for_applications, fee_for_nth_application


@pytest.mark.parametrize("count, amount", [
    (0, 0), (1, 0), (10, 0),            # 10 件 or fewer in a month: free
    (11, 100), (30, 20 * 100),          # 11–30: 100 元 each
    (31, 2000 + 200),                   # 31–40: the first band above 30, 200 元 each (interpretation point)
    (40, 2000 + 10 * 200),
    (41, 2000 + 2000 + 300),            # 41–50: 300 元 each
    (55, 2000 + 2000 + 3000 + 5 * 400),
])
def test_fee_by_count_of_applications_in_a_month(count, amount):
    assert fee_by_count(count).amount == amount


@pytest.mark.parametrize("pages, amount", [
    (0, 0), (30, 0),                    # 30 pages or fewer: free
    (31, 10), (100, 70 * 10),           # 31–100: 10 元 a page
    (101, 700 + 20), (200, 700 + 100 * 20),  # 101–200: 20 元 a page
    (201, 700 + 2000 + 40), (250, 700 + 2000 + 50 * 40),  # from 201: 40 元 a page
])
def test_fee_by_pages(pages, amount):
    assert fee_by_pages(pages).amount == amount


def test_the_explanation_shows_each_band():
    assert fee_by_count(41).explain() == (
        "按件计收 41 件：第 11—30 件 × 100 元 = 2000 元；第 31—40 件 × 200 元 = 2000 元；第 41 件 × 300 元 = 300 元；合计 4300 元"
    )
    assert fee_by_pages(20).explain() == "按量计收 20 页：20 页以内不收费；合计 0 元"


@pytest.mark.parametrize("bad", [-1, 1.5, "3", True])
def test_counts_must_be_whole_and_not_negative(bad):
    with pytest.raises(ValueError):
        fee_by_count(bad)
    with pytest.raises(ValueError):
        fee_by_pages(bad)


@given(st.integers(0, 300))
def test_the_monthly_fee_is_the_sum_of_each_applications_fee(count):
    assert fee_by_count(count).amount == sum(fee_for_nth_application(k) for k in range(1, count + 1))


@given(st.integers(0, 2000))
def test_fees_never_fall_as_the_quantity_grows(quantity):
    assert fee_by_count(quantity + 1).amount >= fee_by_count(quantity).amount
    assert fee_by_pages(quantity + 1).amount >= fee_by_pages(quantity).amount


@given(first=st.integers(min_value=1, max_value=200), count=st.integers(min_value=1, max_value=50))
def test_applications_cost_what_the_month_total_grows_by(first, count):
    """The 件 of one application pay exactly the growth of 第四条's monthly total (超额累进)."""
    assert fee_for_applications(first, count).amount == (
        fee_by_count(first + count - 1).amount - fee_by_count(first - 1).amount)


def test_applications_start_at_the_first():
    with pytest.raises(ValueError):
        fee_for_applications(0, 1)
