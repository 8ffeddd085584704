"""An intake officer registers a letter in the browser, hands over number and query code, and finds the case."""

import re

import pytest
from django.utils import timezone
from tests.web.factories import AgencyFactory, MembershipFactory, UserFactory

from gongkai.web.agencies.models import Membership
from gongkai.web.cases.models import Application
from gongkai.web.cases.services import query_code_matches
from gongkai.workdays import load_calendar

from .pages import PASSWORD, PNG_SIGNATURE, Shots, follow, staff_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_intake_officer_registers_a_letter(browser, live_server, tmp_path):
    street = AgencyFactory(full_name="测试区东街道办事处")
    MembershipFactory(user=UserFactory(username="e2e_intake", password=PASSWORD), agency=street,
                      role=Membership.Role.INTAKE)
    base = live_server.url
    shots = Shots(tmp_path)
    # the letter was signed for 5 working days ago: registered late, and the page says so
    received_on = load_calendar().add_working_days(timezone.localdate(), -5)

    context, page = staff_page(browser, base, "e2e_intake")
    follow(page, page.get_by_role("link", name="登记申请"))
    page.wait_for_url(f"{base}/staff/cases/new/")
    assert page.get_by_label("受理机构").input_value() == str(street.pk)  # the officer's only agency
    page.locator("#id_channel_0").check()  # 信函
    assert "签收之日" in page.locator('li[data-channel="letter"]').inner_text()
    page.get_by_label("收到申请日期").fill(received_on.isoformat())
    page.get_by_label("自然人").check()
    page.get_by_label("姓名或名称").fill("赵六")
    page.get_by_label("身份证件号码或统一社会信用代码").fill("110101199001011234")
    page.get_by_label("联系电话").fill("13912345678")
    page.get_by_label("通信地址").fill("北京市东城区东街道幸福里3号楼")
    page.get_by_label("所需政府信息的名称").fill("2024年东街道道路维修合同")
    page.get_by_label("纸质（邮寄）").check()
    shots.take(page, "01-register-form")
    follow(page, page.get_by_role("button", name="登记"))
    page.wait_for_url(re.compile(r".*/staff/cases/new/done/.*"))

    number = page.locator("#application-number").inner_text().strip()
    query_code = page.locator("#query-code").inner_text().strip()
    application = Application.objects.get(number=number)
    assert application.channel == Application.Channel.LETTER and application.received_on == received_on
    assert query_code_matches(application, query_code)
    assert "登记超过规定期限（收到之日起 2 个工作日内）" in page.locator("#registration-late").inner_text()
    shots.take(page, "02-registered")
    page.reload()
    assert page.locator("#query-code").count() == 0  # shown once

    follow(page, page.get_by_role("link", name="我的案件"))
    row = page.locator("tr", has=page.get_by_role("link", name=number))
    assert row.count() == 1 and "登记逾期" in row.inner_text() and "赵六" in row.inner_text()
    shots.take(page, "03-case-list")
    context.close()

    assert len(shots.paths) == 6
    assert all(path.read_bytes().startswith(PNG_SIGNATURE) for path in shots.paths)
