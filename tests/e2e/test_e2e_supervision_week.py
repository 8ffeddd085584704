"""A supervising office and one of its units through a week in the browser: the office sets a check-in item,
the unit's 联络员 answers it, the office sees it on time; the office hands the unit a finding, the unit
replies, the office returns it, the unit replies again and the office accepts it."""

import pytest
from tests.web.factories import AgencyFactory, MembershipFactory, UserFactory

from gongkai.web.agencies.models import Agency, Membership
from gongkai.web.supervision.models import Checkin, Finding

from .pages import PASSWORD, PNG_SIGNATURE, Shots, follow, staff_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def district():
    office = AgencyFactory(full_name="测试区人民政府办公室", kind=Agency.Kind.GOVERNMENT_OFFICE)
    unit = AgencyFactory(full_name="测试区民政局", kind=Agency.Kind.DEPARTMENT, parent=office)
    MembershipFactory(user=UserFactory(username="office_supervisor", password=PASSWORD), agency=office,
                      role=Membership.Role.SUPERVISOR)
    MembershipFactory(user=UserFactory(username="unit_liaison", password=PASSWORD), agency=unit,
                      role=Membership.Role.AGENCY_ADMIN)
    return office, unit


def messages_of(page) -> str:
    return page.locator(".messages").inner_text()


def test_a_week_of_check_in_and_rectification(browser, live_server, district, tmp_path):
    office, unit = district
    base = live_server.url
    shots = Shots(tmp_path)
    _, boss = staff_page(browser, base, "office_supervisor")
    follow(boss, boss.get_by_role("link", name="政务公开监督"))
    assert "测试区民政局" in boss.locator("#roster").inner_text()
    follow(boss, boss.get_by_role("link", name="周打卡", exact=True))
    boss.fill("#id_text", "本周是否更新专栏")
    follow(boss, boss.get_by_role("button", name="添加事项"))
    assert "已添加打卡事项" in messages_of(boss)
    assert boss.locator("#count-pending").inner_text() == "1"

    _, liaison = staff_page(browser, base, "unit_liaison")
    follow(liaison, liaison.get_by_role("link", name="政务公开监督"))
    follow(liaison, liaison.get_by_role("button", name="报送"))  # unanswered: refused, nothing stored
    assert "请回答" in liaison.locator(".has-error").first.inner_text() and not Checkin.objects.exists()
    liaison.get_by_label("是", exact=True).check()
    liaison.get_by_label("本周是否更新专栏：说明").fill("更新了低保专栏")
    follow(liaison, liaison.get_by_role("button", name="报送"))
    assert "已报送" in messages_of(liaison)
    assert "按时报送" in liaison.locator("#checkin-history").inner_text()
    shots.take(liaison, "checkin-unit")

    boss.reload()
    assert boss.locator("#count-on-time").inner_text() == "1"
    follow(boss, boss.get_by_role("link", name="按时报送"))
    assert "更新了低保专栏" in boss.locator("#answers").inner_text()

    follow(boss, boss.get_by_role("link", name="政务公开监督"))
    follow(boss, boss.get_by_role("link", name="月巡查与整改"))
    boss.get_by_label("发现的问题").fill("公开指南仍是2019年版本")
    follow(boss, boss.get_by_role("button", name="交办整改"))
    assert "已交办 测试区民政局 整改" in messages_of(boss)
    shots.take(boss, "findings-office")

    liaison.goto(f"{base}/staff/supervision/my/findings/")
    follow(liaison, liaison.get_by_role("link", name="公开指南仍是2019年版本"))
    liaison.get_by_label("整改情况").fill("已更新")
    follow(liaison, liaison.get_by_role("button", name="提交整改情况"))
    assert liaison.locator("#finding-state").inner_text() == "已答复待审核"

    boss.goto(f"{base}/staff/supervision/findings/{Finding.objects.get().pk}/")
    boss.get_by_label("退回重新整改").check()
    boss.get_by_label("审核意见（退回时必填）").fill("未见新版指南")
    follow(boss, boss.get_by_role("button", name="提交审核"))
    assert boss.locator("#finding-state").inner_text() == "退回重新整改"

    liaison.reload()
    assert "未见新版指南" in liaison.locator("dl").inner_text()
    liaison.get_by_label("整改情况").fill("新版指南已发布")
    follow(liaison, liaison.get_by_role("button", name="提交整改情况"))

    boss.reload()
    boss.get_by_label("整改通过").check()
    follow(boss, boss.get_by_role("button", name="提交审核"))
    assert boss.locator("#finding-state").inner_text() == "整改通过"
    assert boss.locator("#finding-history li").count() == 5
    shots.take(boss, "finding-accepted")
    assert all(path.read_bytes().startswith(PNG_SIGNATURE) for path in shots.paths)
    assert Finding.objects.get().state == Finding.State.ACCEPTED
