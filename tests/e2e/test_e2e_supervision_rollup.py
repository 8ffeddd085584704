"""A supervising office in the browser: the year's roll-up, one summed number down to its units, and a unit's
report that repeats last year's, side by side with the matching sentences marked (by the stylesheet: the CSP
allows no inline style)."""

import pytest
from tests.conftest import SEEDS
from tests.web.factories import AgencyFactory, MembershipFactory, UserFactory

from gongkai.report.read import read_report
from gongkai.web.agencies.models import Agency, Membership
from gongkai.web.annual.models import AnnualReportRecord

from .pages import PASSWORD, Shots, follow, staff_page

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def publish(agency, report, year):
    report.agency, report.year = agency.full_name, year
    return AnnualReportRecord.objects.create(agency=agency, year=year, version=1,
                                             state=AnnualReportRecord.State.PUBLISHED, snapshot=report.to_json())


@pytest.fixture
def district():
    office = AgencyFactory(full_name="测试区人民政府办公室", kind=Agency.Kind.GOVERNMENT_OFFICE)
    east = AgencyFactory(full_name="测试区东街道办事处", kind=Agency.Kind.STREET, parent=office)
    west = AgencyFactory(full_name="测试区西街道办事处", kind=Agency.Kind.STREET, parent=office)
    MembershipFactory(user=UserFactory(username="office_supervisor", password=PASSWORD), agency=office,
                      role=Membership.Role.SUPERVISOR)
    before, after = read_report(SEEDS[0]), read_report(SEEDS[0])
    after.sections["problems"] = after.sections["problems"].replace("2021年", "2022年") + "本年度新增一项工作安排。"
    publish(east, before, 2021)
    publish(east, after, 2022)
    publish(west, read_report(SEEDS[1]), 2022)
    return office, east, west, after


def test_the_roll_up_drills_down_and_a_repeated_report_is_shown_side_by_side(browser, live_server, district, e2e_output):
    office, east, west, after = district
    shots = Shots(e2e_output)
    _, page = staff_page(browser, live_server.url, "office_supervisor")
    follow(page, page.get_by_role("link", name="政务公开监督"))
    tabs = page.get_by_role("navigation", name="政务公开监督")
    follow(page, tabs.get_by_role("link", name="年报汇总"))
    page.select_option("#rollup-year", "2022")
    follow(page, page.get_by_role("button", name="查看"))
    assert page.locator("#summed-count").inner_text() == "2"
    shots.take(page, "rollup")
    new_total = read_report(SEEDS[0]).applications["new"]["total"] + read_report(SEEDS[1]).applications["new"]["total"]
    cell = page.locator('td[data-key="applications.new.total"] a')
    assert cell.inner_text() == str(new_total)
    follow(page, cell)
    assert page.locator("#rollup-total").inner_text() == str(new_total)
    assert page.locator("#cell-units tbody tr").count() == 2

    follow(page, page.get_by_role("link", name="← 2022年度报告汇总"))
    follow(page, page.get_by_role("navigation", name="政务公开监督").get_by_role("link", name="年报文字雷同"))
    page.select_option("#copied-year", "2022")
    follow(page, page.get_by_role("button", name="查看"))
    rows = page.locator("#copied-pairs tbody tr")
    # Sections 一 (unchanged) and 五 (edited) repeat last year's; the west street's different seed is not listed.
    assert rows.count() == 2 and all("与本单位上一年度报告重复" in text for text in rows.all_inner_texts())
    assert "西街道" not in page.locator("#copied-pairs").inner_text()
    follow(page, rows.filter(has_text="五、存在的主要问题").get_by_role("link", name="逐句对照"))
    same = page.locator("#side-by-side tr.copied-same")
    assert same.count() >= 5
    shaded = same.first.locator("td.left").evaluate("e => getComputedStyle(e).backgroundColor")
    plain = page.locator("#side-by-side tbody tr:not(.copied-same):not(.copied-near) td.left").first
    assert shaded not in ("rgba(0, 0, 0, 0)", "transparent")
    assert plain.evaluate("e => getComputedStyle(e).backgroundColor") in ("rgba(0, 0, 0, 0)", "transparent")
    assert page.locator("#side-by-side tr.copied-near").count() >= 1  # the sentence whose year changed
    assert "本年度新增一项工作安排。" in plain.inner_text()
    shots.take(page, "copied-side-by-side")
