"""The supervisor's home in the browser: reached from the staff home, its charts drawn (no CSP violation: the
fixture fails the test on one), a number followed to exactly its records, a chart point followed to its
records, and the page read on a phone without scrolling sideways."""

from datetime import timedelta

import pytest
from tests.web.factories import AgencyFactory, MembershipFactory, UserFactory

from gongkai.web.agencies.models import Agency, Membership
from gongkai.web.cases import services as s
from gongkai.web.cases.models import Application
from gongkai.web.supervision.models import Checkin, CheckinItem
from gongkai.web.supervision.selectors import week_due_at, week_start_of

from .pages import PASSWORD, Shots, follow, staff_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def district(office_day):
    office = AgencyFactory(full_name="测试区人民政府办公室", kind=Agency.Kind.GOVERNMENT_OFFICE)
    units = [AgencyFactory(full_name=name, kind=Agency.Kind.DEPARTMENT, parent=office)
             for name in ("测试区民政局", "测试区教育局（名称较长的单位用来检查手机上的换行）")]
    MembershipFactory(user=UserFactory(username="office_supervisor", password=PASSWORD), agency=office,
                      role=Membership.Role.SUPERVISOR)
    intake = [MembershipFactory(user=UserFactory(username=f"intake{n}"), agency=unit,
                                role=Membership.Role.INTAKE).user for n, unit in enumerate(units)]
    overdue = []
    for unit, user in zip(units, intake, strict=True):
        registration = s.application_register(agency=unit, acting_user=user, applicant_type="natural_person",
                                              applicant_name="张三", channel="in_person",
                                              received_on=office_day - timedelta(days=60), information_sought="某文件")
        overdue.append(registration.application)
    answered = s.application_register(agency=units[0], acting_user=intake[0], applicant_type="natural_person",
                                      applicant_name="李四", channel="in_person",
                                      received_on=office_day.replace(day=1) - timedelta(days=10),
                                      information_sought="某文件").application
    Application.objects.filter(pk=answered.pk).update(state=Application.State.DELIVERED, closed_on=office_day)
    CheckinItem.objects.create(office=office, text="本周是否更新专栏")
    week = week_start_of(office_day) - timedelta(weeks=1)
    due = week_due_at(office, week)
    Checkin.objects.create(office=office, agency=units[0], week_start=week, due_at=due,
                           submitted_at=due - timedelta(hours=2))
    return office, units, overdue


def test_the_supervisor_reads_the_dashboard_and_follows_a_number_to_its_records(browser, live_server, district,
                                                                                 tmp_path):
    office, units, overdue = district
    _, boss = staff_page(browser, live_server.url, "office_supervisor")
    follow(boss, boss.locator("#supervision-home a", has_text=office.full_name))
    assert "/staff/supervision/dashboard/" in boss.url
    boss.wait_for_function("document.querySelectorAll('[data-chart-drawn=\"1\"]').length === 3")
    assert boss.locator(".chart-canvas canvas").count() >= 3
    assert boss.locator('[data-figure="overdue"]').first.inner_text() == "2"
    assert boss.locator('[data-light-count="red"]').inner_text() == "2"

    follow(boss, boss.locator('#dashboard-figures [data-figure="overdue"] a'))
    assert "/staff/cases/" in boss.url
    rows = boss.locator("#case-table tbody tr td:first-child a").all_inner_texts()
    assert sorted(rows) == sorted(a.number for a in overdue)
    assert "已超过答复期限的申请" in boss.locator("#drilldown").inner_text()

    boss.go_back()
    boss.wait_for_function("document.querySelectorAll('[data-chart-drawn=\"1\"]').length === 3")
    unit_row = boss.locator(f'#dashboard-units tr[data-unit="{units[0].pk}"]')
    follow(boss, unit_row.locator('[data-figure="overdue"] a'))
    assert boss.locator("#case-table tbody tr td:first-child a").all_inner_texts() == [overdue[0].number]

    boss.go_back()
    shots = Shots(tmp_path)
    shots.take(boss, "supervision-dashboard", fit=True)  # fails if the page scrolls sideways at 375 px


def test_the_dashboard_on_a_phone(browser, live_server, district):
    context, page = staff_page(browser, live_server.url, "office_supervisor", start="/staff/supervision/dashboard/")
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    page.wait_for_function("document.querySelectorAll('[data-chart-drawn=\"1\"]').length === 3")
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert inner == 375 and width <= inner
    # every chart fits the screen, and the figures stay readable beside (below) them
    for box in page.locator(".chart-canvas").all():
        assert box.bounding_box()["width"] <= 375
    assert page.locator("#dashboard-months tbody tr").count() == 12
    context.close()

