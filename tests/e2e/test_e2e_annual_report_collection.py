"""年度报告报送 in the browser: a unit outside gongkai files its report, the office returns it with a comment,
the unit files again, the office passes it, and the unit gives the published URL, matched by hash."""

import pytest
from tests.corpus.conftest import http_folder  # noqa: F401  (the fixture: a folder served on 127.0.0.1)
from tests.web.factories import AgencyFactory, MembershipFactory, UserFactory
from tests.web.report_files import report_bytes

from gongkai.web.agencies.models import Agency, Membership
from gongkai.web.supervision.models import ReportFiling, RosterUnit

from .pages import PASSWORD, PNG_SIGNATURE, Shots, follow, staff_page

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def district():
    office = AgencyFactory(full_name="测试区人民政府办公室", kind=Agency.Kind.GOVERNMENT_OFFICE)
    MembershipFactory(user=UserFactory(username="office_supervisor", password=PASSWORD), agency=office,
                      role=Membership.Role.SUPERVISOR)
    unit = RosterUnit.objects.create(office=office, name="测试区档案馆", portal_url="https://dag.test.example/",
                                     liaison_user=UserFactory(username="archive_liaison", password=PASSWORD))
    return office, unit


def test_a_unit_files_is_returned_files_again_is_passed_and_publishes_the_same_file(
        browser, live_server, district, tmp_path, e2e_output, request):
    office, unit = district
    folder, served = request.getfixturevalue("http_folder")
    base = live_server.url
    shots = Shots(e2e_output)
    first, second = tmp_path / "档案馆2025年度报告.html", tmp_path / "档案馆2025年度报告（修改）.md"
    first.write_bytes(report_bytes())
    second.write_bytes(report_bytes(fmt="md"))
    (folder / "report.md").write_bytes(second.read_bytes())  # what the unit publishes on its portal

    _, liaison = staff_page(browser, base, "archive_liaison")
    follow(liaison, liaison.get_by_role("link", name="政务公开监督"))
    follow(liaison, liaison.get_by_role("link", name="本单位年度报告报送"))
    follow(liaison, liaison.get_by_role("link", name="报送2025年度报告"))
    liaison.get_by_label("年度报告文件（PDF、DOCX、DOC、HTML、TXT、图片等）").set_input_files(str(first))
    follow(liaison, liaison.get_by_role("button", name="报送"))
    assert liaison.locator("#filing-state").inner_text() == "已报送"
    shots.take(liaison, "filed")

    _, boss = staff_page(browser, base, "office_supervisor")
    follow(boss, boss.get_by_role("link", name="政务公开监督"))
    follow(boss, boss.get_by_role("link", name="年度报告报送"))
    assert boss.locator("#count-filed").inner_text() == "1"
    assert boss.locator("#count-units").inner_text() == "1"
    shots.take(boss, "collection")
    follow(boss, boss.locator("#collection").get_by_role("link", name="已报送"))
    boss.get_by_label("退回修改").check()
    boss.get_by_label("审核意见（退回时必填）").fill("第五部分过于简单，请补充")
    follow(boss, boss.get_by_role("button", name="提交审核"))
    assert boss.locator("#filing-state").inner_text() == "退回"

    liaison.reload()
    assert "第五部分过于简单，请补充" in liaison.locator("#review-comment").inner_text()
    follow(liaison, liaison.get_by_role("link", name="按审核意见修改后重新报送"))
    liaison.get_by_label("年度报告文件（PDF、DOCX、DOC、HTML、TXT、图片等）").set_input_files(str(second))
    follow(liaison, liaison.get_by_role("button", name="报送"))
    assert "第2版" in liaison.locator("h1").inner_text()
    assert liaison.locator("#filing-versions tbody tr").count() == 2

    boss.goto(f"{base}/staff/supervision/annual/?office={office.pk}&year=2025")
    follow(boss, boss.locator("#collection").get_by_role("link", name="已报送"))
    boss.get_by_label("审核通过").check()
    follow(boss, boss.get_by_role("button", name="提交审核"))
    assert boss.locator("#filing-state").inner_text() == "已通过"

    liaison.reload()
    liaison.get_by_label("或：报告的网址").fill(f"{served}/report.md")
    follow(liaison, liaison.get_by_role("button", name="登记发布"))
    assert liaison.locator("#filing-state").inner_text() == "已发布"
    assert "与审核通过的版本一致" in liaison.locator("#published-match").inner_text()
    shots.take(liaison, "published")

    boss.goto(f"{base}/staff/supervision/annual/?office={office.pk}&year=2025")
    assert boss.locator("#count-published").inner_text() == "1"
    assert all(path.read_bytes().startswith(PNG_SIGNATURE) for path in shots.paths)
    assert list(ReportFiling.objects.order_by("version").values_list("version", "state")) == [
        (1, "returned"), (2, "published")]
    assert ReportFiling.objects.get(version=2).published_matches is True
