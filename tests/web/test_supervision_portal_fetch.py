"""The portal fetcher's limits, against the fixture portals on 127.0.0.1: timeouts, size, pace, redirects."""

import time
from datetime import date
from itertools import pairwise

import pytest
from tests.web.portal_server import PortalServer

from gongkai.web.supervision.portal_checks import dates_in, short_date
from gongkai.web.supervision.portal_fetch import USER_AGENT, Fetcher, FetchLimits, crawl

QUICK = FetchLimits(connect_timeout=0.5, read_timeout=0.3, total_timeout=1.0, max_bytes=64 * 1024, max_redirects=3,
                    min_interval=0, allow_private=True)  # the fixture portals are on 127.0.0.1


@pytest.fixture(scope="module")
def portals():
    with PortalServer() as server:
        yield server


def test_a_page_is_fetched_with_the_inspections_user_agent(portals):
    fetched = Fetcher(QUICK).get(portals.url("fresh/index.html"))
    assert fetched.ok and fetched.status == 200 and "政府信息公开指南" in fetched.body.decode()
    assert portals.requests[-1][2] == USER_AGENT


def test_a_missing_page_is_its_status(portals):
    fetched = Fetcher(QUICK).get(portals.url("fresh/nothing-here.html"))
    assert not fetched.ok and fetched.status == 404 and fetched.reason == "HTTP 404"


def test_a_slow_page_stops_at_the_read_timeout(portals):
    started = time.monotonic()
    fetched = Fetcher(QUICK).get(portals.url("_slow"))
    assert time.monotonic() - started < 1.5  # the server would answer after 2 s
    assert fetched.status is None and "读取超时" in fetched.error


def test_a_huge_page_is_read_only_up_to_the_size_limit(portals):
    fetched = Fetcher(QUICK).get(portals.url("_huge"))
    assert fetched.ok and fetched.truncated and len(fetched.body) == QUICK.max_bytes


def test_requests_to_one_host_keep_the_minimum_interval(portals):
    fetcher = Fetcher(FetchLimits(connect_timeout=0.5, read_timeout=0.5, min_interval=0.2, allow_private=True))
    before = len(portals.requests)
    for name in ("index.html", "tzgg.html", "zn.html", "gfxwj.html"):
        assert fetcher.get(portals.url(f"fresh/{name}")).ok
    times = [when for when, _, _ in portals.requests[before:]]
    assert len(times) == 4
    assert min(b - a for a, b in pairwise(times)) >= 0.19


def test_a_redirect_loop_is_named(portals):
    fetched = Fetcher(QUICK).get(portals.url("_loop/a"))
    assert not fetched.ok and "重定向循环" in fetched.error


def test_redirects_are_followed_up_to_the_limit(portals):
    assert Fetcher(QUICK).get(portals.url("_hops/3")).ok
    fetched = Fetcher(QUICK).get(portals.url("_hops/4"))
    assert not fetched.ok and fetched.error == "重定向超过 3 次"


def test_only_http_and_https_are_fetched():
    fetcher = Fetcher(QUICK)
    for url in ("ftp://127.0.0.1/a.pdf", "file:///etc/passwd", "javascript:alert(1)"):
        assert fetcher.get(url).error == "只能检查 http 或 https 地址"
    assert fetcher.requests == 0


def test_a_closed_port_is_unreachable():
    with PortalServer() as closed:
        url = closed.url("index.html")
    fetched = Fetcher(QUICK).get(url)
    assert fetched.status is None and "无法连接" in fetched.error


def test_the_crawl_stays_on_the_host_within_the_page_budget(portals):
    result = crawl(portals.url("fresh/index.html"), Fetcher(QUICK), max_pages=4, max_depth=3)
    assert len(result.visits) == 4 and result.budget_reached
    assert all(visit.link.url.startswith(portals.base) for visit in result.visits)
    # the guide and the annual report are fetched before the other links
    assert [v.link.text for v in result.visits[1:3]] == ["2025年政府信息公开工作年度报告", "政府信息公开指南"]


def test_the_crawl_keeps_to_its_depth_and_opens_the_attachments_one_step_beyond(portals):
    result = crawl(portals.url("fresh/index.html"), Fetcher(QUICK), max_pages=50, max_depth=1)
    pages = {visit.link.url.rsplit("/", 1)[1]: visit.link.depth for visit in result.visits}
    assert pages == {"index.html": 0, "tzgg.html": 1, "zn.html": 1, "nb2025.html": 1, "gfxwj.html": 1,
                     "nb2025.pdf": 2}
    assert not result.budget_reached


@pytest.mark.parametrize(("text", "expected"), [
    ("发布日期：2024-05-06", [date(2024, 5, 6)]),
    ("2024年5月6日", [date(2024, 5, 6)]),
    ("2024/05/06 和 2023.12.01", [date(2024, 5, 6), date(2023, 12, 1)]),
    ("2024-02-30 不是一天", []),
    ("电话 010-12345678", []),
])
def test_full_dates_in_chinese_pages(text, expected):
    assert dates_in(text) == expected


def test_a_lists_month_and_day_is_the_most_recent_such_day():
    today = date(2026, 9, 15)
    assert short_date("[05-06]", today) == date(2026, 5, 6)
    assert short_date("[12-30]", today) == date(2025, 12, 30)
    assert short_date("09-15", today) == date(2026, 9, 15)
    assert short_date("第 05-06 号", today) is None


def test_a_link_that_is_not_a_page_is_checked_without_downloading_it(portals):
    fetched = Fetcher(QUICK).get(portals.url("fresh/nb2025.pdf"), html_only=True)
    assert fetched.ok and fetched.body == b"" and fetched.truncated
    assert Fetcher(QUICK).get(portals.url("fresh/nb2025.pdf")).body.startswith(b"%PDF-")


def test_by_default_this_machine_and_private_networks_are_not_fetched(portals):
    fetcher = Fetcher(FetchLimits(connect_timeout=0.5, read_timeout=0.3))
    before = len(portals.requests)
    for url in (portals.url("fresh/index.html"), "http://10.1.2.3/", "http://169.254.169.254/latest/meta-data/",
                "http://[::1]:8000/"):
        assert fetcher.get(url).error == "地址指向本机或内部网络，不予抓取"
    assert len(portals.requests) == before

