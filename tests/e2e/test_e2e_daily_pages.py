"""The pages a new user meets first, in Debian's chromium at 1280 and 390 px: the landing page, the staff
home and the case list. Each is screenshotted at both widths into the browser tests' output folder and
must not scroll sideways (a wide table scrolls inside its own box, never the page)."""

import re

import pytest
from django.utils import timezone
from tests.web.factories import AgencyFactory, MembershipFactory, UserFactory

from gongkai.web.agencies.models import Agency, Membership
from gongkai.web.cases import services as s
from gongkai.web.disclosure.demo import load_demo_publications
from gongkai.workdays import load_calendar

from .conftest import DESKTOP
from .pages import PASSWORD, PNG_SIGNATURE, Shots, follow, staff_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
Role = Membership.Role


@pytest.fixture
def office(empty_search_index):
    district = AgencyFactory(full_name="测试区人民政府", kind=Agency.Kind.GOVERNMENT)
    street = AgencyFactory(full_name="测试区东街道办事处", parent=district)
    users = {role: MembershipFactory(user=UserFactory(username=f"day_{role.value}", password=PASSWORD),
                                     agency=street, role=role).user
             for role in (Role.INTAKE, Role.HANDLER, Role.REVIEWER, Role.SIGNER)}
    load_demo_publications([district, street])  # published items for the landing page's latest list
    calendar, today = load_calendar(), timezone.localdate()
    for n, days_ago in enumerate([0, 3, 9, 16, 18, 22, 27, 30, 1, 5, 12, 14]):
        application = s.application_register(
            agency=street, acting_user=users[Role.INTAKE], applicant_type="natural_person",
            applicant_name=f"欧阳长名申请人{n}", channel="letter", received_on=calendar.add_working_days(today, -days_ago),
            information_sought="2024年东街道老旧小区改造资金使用情况及其招标、验收的全部文件", applicant_id_number="110101199001011234",
            applicant_phone="13912345678", applicant_address="北京市东城区东街道幸福里小区三号楼二单元一千零一室",
        ).application
        if n < 8:  # taken on by the handler: these are "my cases"
            application = s.application_start_review(application=application, acting_user=users[Role.INTAKE])
            s.application_accept(application=application, acting_user=users[Role.HANDLER])
    return street, users


def test_landing_staff_home_and_case_list_fit_a_phone_and_a_desktop(browser, live_server, office, e2e_output):
    street, users = office
    base, shots = live_server.url, Shots(e2e_output)

    public = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = public.new_page()
    page.goto(f"{base}/")
    assert page.locator("h1").inner_text() == "政府信息公开专栏"
    assert page.locator('head link[rel="alternate"][type="application/atom+xml"]').get_attribute("href") == "/feed.atom"
    assert page.locator('head link[rel="icon"]').count() == 1
    assert page.locator("#latest-h + ul.publications li").count() >= 5
    shots.take(page, "01-landing", fit=True)
    follow(page, page.locator(".agency-cards li", has_text=street.full_name).get_by_role("link", name="申请公开"))
    assert page.get_by_label("受理机构").evaluate("el => el.options[el.selectedIndex].text") == street.full_name

    handler_ctx, handler = staff_page(browser, base, "day_handler")
    assert handler.locator("h1").inner_text() == "今日工作"
    mine = handler.locator("#my-cases li.case")
    assert mine.count() == 8
    assert "overdue" in mine.first.get_attribute("class")  # the most overdue comes first
    shots.take(handler, "02-staff-home", fit=True)
    follow(handler, handler.get_by_role("link", name="我的案件"))
    assert handler.locator("#case-table tbody tr").count() == 12
    shots.take(handler, "03-case-list", fit=True)
    # at 1280 px the staff page uses the screen: the table is wider than the old 930 px column
    assert handler.locator("#case-table").bounding_box()["width"] > 1100

    # short cells keep to one line at 1280 px (已发布 used to stand over three lines)
    follow(handler, handler.get_by_role("link", name="主动公开"))
    state = handler.locator("td", has_text=re.compile(r"^已发布$")).first
    lines = state.evaluate("el => { const r = document.createRange(); r.selectNodeContents(el);"
                           " return new Set([...r.getClientRects()].map((rect) => Math.round(rect.top))).size; }")
    assert lines == 1

    assert len(shots.paths) == 6
    for path in shots.paths:
        assert path.read_bytes().startswith(PNG_SIGNATURE)
    handler_ctx.close()
    public.close()
