"""The office's month end in the browser: the supervisor generates August's 通报, edits a paragraph and issues
it, and the unit named in it reads it; then the supervisor opens the 考核 ranking and follows a deduction to
the finding behind it."""

from datetime import date

import pytest
from tests.web.factories import AgencyFactory, MembershipFactory, UserFactory
from tests.web.supervision_records import checkin, checkin_item, finding

from gongkai.web.agencies.models import Agency, Membership
from gongkai.web.supervision.models import Bulletin

from .pages import PASSWORD, PNG_SIGNATURE, Shots, follow, staff_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
AUGUST_WEEKS = [date(2026, 8, 3), date(2026, 8, 10), date(2026, 8, 17), date(2026, 8, 24)]


@pytest.fixture
def district():
    office = AgencyFactory(full_name="测试区人民政府办公室", kind=Agency.Kind.GOVERNMENT_OFFICE)
    lagging = AgencyFactory(full_name="测试区民政局", kind=Agency.Kind.DEPARTMENT, parent=office)
    punctual = AgencyFactory(full_name="测试区财政局", kind=Agency.Kind.DEPARTMENT, parent=office)
    supervisor = MembershipFactory(user=UserFactory(username="office_supervisor", password=PASSWORD), agency=office,
                                   role=Membership.Role.SUPERVISOR).user
    MembershipFactory(user=UserFactory(username="unit_liaison", password=PASSWORD), agency=lagging,
                      role=Membership.Role.AGENCY_ADMIN)

    class World:  # what the record helpers need: the office
        district = office

    checkin_item(World, date(2026, 8, 1))
    for week in AUGUST_WEEKS:
        checkin(World, punctual, week)
    late = finding(World, lagging, month=date(2026, 8, 1), due_on=date(2026, 8, 20))
    return office, lagging, supervisor, late


def test_a_month_end_bulletin_and_the_year_ranking(browser, live_server, district, tmp_path):
    office, lagging, _, late = district
    base = live_server.url
    shots = Shots(tmp_path)
    _, boss = staff_page(browser, base, "office_supervisor")
    follow(boss, boss.get_by_role("link", name="政务公开监督"))
    follow(boss, boss.get_by_role("link", name="月度通报"))
    assert boss.locator("#id_month").input_value() == "2026-08"
    follow(boss, boss.get_by_role("button", name="生成通报"))
    assert boss.locator("#bulletin h1").inner_text() == "关于2026年8月全区政务公开工作情况的通报"
    problems = boss.locator("#section-problems").inner_text()
    assert "测试区民政局：4周未报送周打卡，1个巡查问题逾期未整改。" in problems and "财政局" not in problems
    assert boss.locator("#bulletin-state").inner_text() == "草稿"

    boss.get_by_label("三、下一步工作要求").fill("请测试区民政局于9月30日前完成整改并报送周打卡。")
    follow(boss, boss.get_by_role("button", name="保存文字"))
    assert "已保存通报文字" in boss.locator(".messages").inner_text()
    assert boss.locator("#section-requirements").inner_text() == "请测试区民政局于9月30日前完成整改并报送周打卡。"
    follow(boss, boss.get_by_role("button", name="印发通报"))
    assert boss.locator("#bulletin-state").inner_text() == "已印发"
    assert boss.get_by_role("button", name="保存文字").count() == 0  # issued: nothing left to edit
    with boss.expect_download() as download:
        boss.get_by_role("link", name="DOCX").click()
    assert download.value.suggested_filename.endswith(".docx")
    shots.take(boss, "bulletin-issued")

    _, liaison = staff_page(browser, base, "unit_liaison")
    follow(liaison, liaison.get_by_role("link", name="政务公开监督"))
    follow(liaison, liaison.get_by_role("link", name="通报", exact=True))
    follow(liaison, liaison.get_by_role("link", name="关于2026年8月全区政务公开工作情况的通报"))
    assert "请测试区民政局于9月30日前完成整改" in liaison.locator("#section-requirements").inner_text()
    assert "测试区民政局" in liaison.locator("#bulletin-figures").inner_text()
    shots.take(liaison, "bulletin-unit")

    follow(boss, boss.get_by_role("link", name="年度考核"))
    row = boss.locator(f'#ranking tr[data-agency="{lagging.pk}"]')
    assert row.locator('[data-rate="applications"]').inner_text() == "—（0/0件）"
    assert row.locator('[data-rate="findings"]').inner_text() == "0.0%（0/1件）"
    follow(boss, row.get_by_role("link", name="测试区民政局"))
    deduction = boss.locator(f'[data-indicator="finding_late"] li[data-record="finding:{late.pk}"]')
    assert "未按期整改" in deduction.inner_text()
    shots.take(boss, "kaohe-unit")
    follow(boss, deduction.get_by_role("link"))
    assert boss.url.endswith(f"/staff/supervision/findings/{late.pk}/")
    assert all(path.read_bytes().startswith(PNG_SIGNATURE) for path in shots.paths)
    assert Bulletin.objects.get().is_issued
