"""月巡查 of roster units with their own portal: the fixture portals on 127.0.0.1 inspected, findings and 整改."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from tests.web.factories import UserFactory
from tests.web.portal_server import PortalServer

from gongkai.web.supervision.digest import digest_of
from gongkai.web.supervision.models import Finding, RosterUnit
from gongkai.web.supervision.selectors import findings_visible_to
from gongkai.web.supervision.services import finding_accept, finding_reply, inspection_run

TODAY = date(2026, 9, 15)
Check = Finding.Check


@pytest.fixture(scope="module")
def portals():
    with PortalServer() as server:
        yield server


@pytest.fixture(autouse=True)
def quick_limits(settings):
    """Fractions of a second, so that the slow page costs the suite little."""
    settings.GONGKAI_PORTAL_CONNECT_TIMEOUT = 0.5
    settings.GONGKAI_PORTAL_READ_TIMEOUT = 0.3
    settings.GONGKAI_PORTAL_TOTAL_TIMEOUT = 1.0
    settings.GONGKAI_PORTAL_MIN_INTERVAL = 0
    settings.GONGKAI_PORTAL_MAX_BYTES = 64 * 1024
    settings.GONGKAI_PORTAL_MAX_PAGES = 40
    settings.GONGKAI_PORTAL_MAX_DEPTH = 3
    settings.GONGKAI_PORTAL_ALLOW_PRIVATE = True  # the fixture portals are on 127.0.0.1


@pytest.fixture
def quiet_units(world, monkeypatch):
    """The units on gongkai are left out, so only the portals' findings show."""
    monkeypatch.setattr("gongkai.web.supervision.services.automatic_checks", lambda *args: [])


def unit(world, portals, site, name=None):
    return RosterUnit.objects.create(office=world.district, name=name or f"{site} 单位",
                                     portal_url=portals.url(f"{site}/index.html"))


def found(entry):
    return sorted((f.kind, f.subject) for f in Finding.objects.filter(roster_unit=entry))


def run(world, today=TODAY):
    return inspection_run(office=world.district, acting_user=world.supervisor, today=today)


def test_a_fresh_portal_has_no_findings(world, portals, quiet_units):
    entry = unit(world, portals, "fresh")
    before = len(portals.requests)
    result = run(world)
    assert found(entry) == [] and result.created == []
    assert result.pages_fetched == len(portals.requests) - before == 11  # every page and the PDF, once
    assert "fresh 单位" in [u.name for u in result.units] and result.notes == []


def test_a_column_not_updated_within_the_period(world, portals, quiet_units):
    entry = unit(world, portals, "stale")
    run(world)
    (finding,) = Finding.objects.filter(roster_unit=entry)
    assert (finding.kind, finding.subject) == (Check.STALE_COLUMN, f"column:{portals.url('stale/tzgg.html')}")
    assert finding.description == (f"栏目「通知公告」（{portals.url('stale/tzgg.html')}）最新一条信息的日期为 2026-03-01，"
                                   "超过 90 天未更新")
    assert finding.agency is None and finding.office == world.district and finding.state == Finding.State.ASSIGNED


def test_the_stale_period_is_the_offices(world, portals, quiet_units):
    from gongkai.web.supervision.services import inspection_settings_set

    entry = unit(world, portals, "stale")
    inspection_settings_set(office=world.district, acting_user=world.supervisor, stale_days=200,
                            rectification_days=15)
    run(world)
    assert found(entry) == []


def test_a_missing_guide(world, portals, quiet_units):
    entry = unit(world, portals, "noguide")
    run(world)
    (finding,) = Finding.objects.filter(roster_unit=entry)
    assert (finding.kind, finding.subject) == (Check.GUIDE, "guide")
    assert "没有找到政府信息公开指南" in finding.description and portals.url("noguide/index.html") in finding.description


def test_a_guide_older_than_a_year(world, portals, quiet_units):
    entry = unit(world, portals, "oldguide")
    run(world)
    (finding,) = Finding.objects.filter(roster_unit=entry)
    assert finding.kind == Check.GUIDE
    assert finding.description == f"政府信息公开指南（{portals.url('oldguide/zn.html')}）最近的日期为 2024-05-06，超过一年未更新"


def test_last_years_annual_report_missing_after_31_january(world, portals, quiet_units):
    entry = unit(world, portals, "noreport")
    run(world, today=date(2026, 1, 31))
    assert not Finding.objects.filter(kind=Check.ANNUAL_REPORT_MISSING).exists()
    run(world, today=date(2026, 2, 1))
    assert Finding.objects.get(roster_unit=entry, kind=Check.ANNUAL_REPORT_MISSING).subject == "annual:2025"
    assert found(entry) == [(Check.ANNUAL_REPORT_MISSING, "annual:2025")] + [
        (Check.STALE_COLUMN, f"column:{portals.url('noreport/gfxwj.html')}")]  # its [09-10] is 2025's in January


def test_broken_links_fake_attachments_and_a_policy_without_interpretation(world, portals, quiet_units):
    entry = unit(world, portals, "broken")
    run(world)
    url = portals.url
    assert found(entry) == sorted([
        (Check.BROKEN_LINK, f"link:{url('broken/missing.html')}"),
        (Check.BROKEN_ATTACHMENT, f"attachment:{url('broken/fake.pdf')}"),
        (Check.BROKEN_ATTACHMENT, f"attachment:{url('broken/empty.pdf')}"),
        (Check.NO_INTERPRETATION, f"policy:{url('broken/gf1.html')}"),
    ])
    descriptions = {f.subject: f.description for f in Finding.objects.filter(roster_unit=entry)}
    assert descriptions[f"link:{url('broken/missing.html')}"] == (
        f"页面 {url('broken/index.html')} 上的链接「已删除的页面」（{url('broken/missing.html')}）打不开：HTTP 404")
    assert descriptions[f"attachment:{url('broken/fake.pdf')}"].endswith("的附件无法打开：返回的是网页而不是文件（可能是错误页）")
    assert descriptions[f"attachment:{url('broken/empty.pdf')}"].endswith("的附件无法打开：文件是空的（0 字节）")
    assert descriptions[f"policy:{url('broken/gf1.html')}"] == (
        f"规范性文件「示范区城市绿化管理办法」（{url('broken/gf1.html')}）页面没有政策解读链接")


def test_a_slow_page_and_a_redirect_loop_are_broken_links_a_huge_page_is_read_up_to_the_limit(world, portals,
                                                                                             quiet_units):
    traps, fresh = unit(world, portals, "traps"), unit(world, portals, "fresh")
    run(world)
    descriptions = {f.subject: f.description for f in Finding.objects.filter(roster_unit=traps)}
    assert sorted(descriptions) == [f"link:{portals.url('_loop/a')}", f"link:{portals.url('_slow')}"]
    assert descriptions[f"link:{portals.url('_slow')}"].endswith("打不开：读取超时（0.3 秒内没有数据）")
    assert "打不开：重定向循环" in descriptions[f"link:{portals.url('_loop/a')}"]
    assert found(fresh) == []  # the run went on; the endless page is no defect, it was read as far as the limit
    assert "/_huge" in portals.paths()


def test_an_unreachable_portal_is_one_finding_and_a_note_and_the_other_units_are_checked(world, portals, quiet_units):
    with PortalServer() as gone:
        address = gone.url("index.html")
    dead = RosterUnit.objects.create(office=world.district, name="关停单位", portal_url=address)
    stale = unit(world, portals, "stale")
    result = run(world)
    assert found(dead) == [(Check.PORTAL_UNREACHABLE, "portal")]
    assert found(stale) == [(Check.STALE_COLUMN, f"column:{portals.url('stale/tzgg.html')}")]
    (note,) = result.notes
    assert note.startswith(f"关停单位：门户网站 {address} 无法访问：无法连接")


def test_a_second_run_adds_nothing_while_the_findings_are_open(world, portals, quiet_units):
    entry = unit(world, portals, "broken")
    assert len(run(world).created) == 4
    assert run(world).created == []
    finding = Finding.objects.filter(roster_unit=entry, kind=Check.NO_INTERPRETATION).get()
    liaison = UserFactory(username="broken_liaison")
    RosterUnit.objects.filter(pk=entry.pk).update(liaison_user=liaison)
    finding.refresh_from_db()
    finding_reply(finding=finding, acting_user=liaison, reply="已补充解读链接")
    finding_accept(finding=finding, acting_user=world.supervisor)
    (again,) = run(world).created  # accepted, yet the page still has no 解读: found again
    assert again.kind == Check.NO_INTERPRETATION and again.pk != finding.pk


def test_the_summary_names_units_pages_and_findings(world, portals):
    unit(world, portals, "stale")
    result = run(world)
    names = [u.name for u in result.units]
    assert names == ["测试区东街道办事处", "测试区西街道办事处", "stale 单位"]
    assert str(result) == (f"检查 3 个单位，抓取门户网站页面 {result.pages_fetched} 个，"
                           f"新发现 {len(result.created)} 个问题（仍在整改中的问题不重复列出）")
    assert result.pages_fetched == 11


def test_the_outside_units_rectification_is_its_roster_liaisons_and_the_offices(world, portals, quiet_units):
    entry = unit(world, portals, "stale")
    liaison = UserFactory(username="stale_liaison")
    RosterUnit.objects.filter(pk=entry.pk).update(liaison_user=liaison)
    run(world)
    finding = Finding.objects.get(roster_unit=entry)
    assert list(findings_visible_to(liaison)) == [finding]
    assert finding in findings_visible_to(world.supervisor)
    assert finding not in findings_visible_to(world.users["agency_admin"])  # another unit's
    with pytest.raises(PermissionDenied):
        finding_reply(finding=finding, acting_user=world.users["agency_admin"], reply="不是我们的")
    with pytest.raises(PermissionDenied):
        finding_reply(finding=finding, acting_user=world.supervisor, reply="监督机构不代答")
    office_client = Client()
    office_client.force_login(world.supervisor)
    detail = office_client.get(reverse("supervision:finding_detail", args=[finding.pk])).content.decode()
    assert f"<h1>{entry.name} · 专栏长期未更新</h1>" in detail and "答复整改" not in detail  # the office never replies
    client = Client()
    client.force_login(liaison)
    assert reverse("supervision:finding_detail", args=[finding.pk]) in client.get(
        reverse("supervision:my_findings")).content.decode()
    response = client.post(reverse("supervision:finding_detail", args=[finding.pk]), {"reply": "栏目已更新"})
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.state == Finding.State.REPLIED and finding.replied_by == liaison
    assert finding_accept(finding=finding, acting_user=world.supervisor).state == Finding.State.ACCEPTED


def test_an_overdue_outside_finding_escalates_in_the_offices_digest(world, portals, quiet_units):
    unit(world, portals, "stale", name="档案馆")
    (finding,) = run(world).created
    sections = {s.key: s for s in digest_of([world.district, world.street, world.other_street],
                                            offices=[world.district], today=finding.due_on + timedelta(days=1))}
    (item,) = sections["finding_overdue"].items
    assert item.agency == world.district and item.text.startswith("档案馆：专栏长期未更新") and item.record == finding


def test_the_run_button_reports_the_summary_and_each_units_failure(world, portals, quiet_units):
    with PortalServer() as gone:
        address = gone.url("index.html")
    RosterUnit.objects.create(office=world.district, name="关停单位", portal_url=address)
    client = Client()
    client.force_login(world.supervisor)
    response = client.post(reverse("supervision:inspection_run"), {"office": world.district.pk}, follow=True)
    page = response.content.decode()
    assert "巡查完成：检查 3 个单位，抓取门户网站页面 1 个，新发现 1 个问题" in page
    assert f"关停单位：门户网站 {address} 无法访问" in page
    assert "关停单位" in page and "门户网站无法访问" in page  # the finding's row


def test_the_monthly_job_runs_every_office_as_the_button_does(world, portals, quiet_units):
    from huey.contrib.djhuey import HUEY

    from gongkai.web.supervision.tasks import inspection_monthly

    entry = unit(world, portals, "broken")
    before = HUEY.immediate
    HUEY.immediate = True
    try:
        inspection_monthly()  # immediate mode: runs now, as the consumer would on the 1st
    finally:
        HUEY.immediate = before
    assert len(found(entry)) == 4
    assert all(f.found_by is None for f in Finding.objects.filter(roster_unit=entry))
    again = inspection_monthly.call_local()
    assert again == {"offices": 1, "failed": 0, "units": 3, "pages": again["pages"], "added": 0}
    assert again["pages"] > 10


def test_one_offices_failure_does_not_stop_the_job(world, portals, monkeypatch):
    from gongkai.web.agencies.models import Membership
    from gongkai.web.supervision import inspection_job

    Membership.objects.create(user=UserFactory(username="east_supervisor"), agency=world.street,
                              role=Membership.Role.SUPERVISOR)
    real = inspection_job.inspection_run

    def failing_for_the_district(*, office, **kwargs):
        if office == world.district:
            raise RuntimeError("database went away")
        return real(office=office, **kwargs)

    monkeypatch.setattr(inspection_job, "inspection_run", failing_for_the_district)
    runs = inspection_job.inspections_run(today=TODAY)
    assert runs[world.district] is None and runs[world.street] is not None
