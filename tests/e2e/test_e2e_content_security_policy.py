"""The Content-Security-Policy in the browser: an injected inline script is refused, and the pages break no rule.

Every browser test fails on a policy violation (``conftest.CspWatch``); this one also checks
that the watch sees one, and walks the pages no other browser test opens.
"""

import pytest
from tests.web.factories import AgencyFactory, MembershipFactory, UserFactory

from gongkai.web.agencies.models import Membership

from .pages import PASSWORD, staff_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_inline_script_is_refused_and_reported(browser, live_server):
    page = browser.new_page()
    page.goto(f"{live_server.url}/shenqing/")
    page.evaluate("""() => { const s = document.createElement("script");
                             s.textContent = "document.body.dataset.injected = 'ran'"; document.body.append(s); }""")
    page.wait_for_timeout(200)
    assert page.evaluate("document.body.dataset.injected") is None  # the script did not run
    assert any("script-src" in v for v in browser.csp.violations)
    browser.csp.violations.clear()  # seen on purpose; any other violation still fails the test


def test_the_pages_break_no_rule_of_the_policy(browser, live_server):
    street = AgencyFactory(full_name="测试区东街道办事处")
    for role in (Membership.Role.AGENCY_ADMIN, Membership.Role.INTAKE, Membership.Role.HANDLER):
        MembershipFactory(user=UserFactory(username="e2e_admin", password=PASSWORD, is_staff=True), agency=street,
                          role=role)
    base = live_server.url
    page = browser.new_page()
    for path in ["/", "/portal/", "/shenqing/", "/shenqing/progress/", "/staff/login/", "/admin/login/", "/api/docs"]:
        page.goto(f"{base}{path}")
        page.wait_for_load_state("networkidle")
    context, page = staff_page(browser, base, "e2e_admin")
    for path in ["/staff/", "/staff/cases/new/", "/staff/publications/", "/staff/publications/new/",
                 "/staff/publications/import/", "/staff/registers/import/", "/staff/annual/", "/admin/",
                 "/admin/cases/replytemplate/add/"]:
        page.goto(f"{base}{path}")
        page.wait_for_load_state("networkidle")
        assert page.title(), path
    context.close()
