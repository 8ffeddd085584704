"""月巡查 and 整改: the automatic checks of a unit's 公开专栏, manual findings, reply, acceptance, return."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from tests.web.factories import AgencyFactory, MembershipFactory, UserFactory

from gongkai.web.agencies.models import Membership
from gongkai.web.annual.models import AnnualReportRecord
from gongkai.web.annual.services import annual_report_record_create
from gongkai.web.disclosure.models import AgencyDisclosure, Article20Item, Genre, Publication
from gongkai.web.disclosure.services import publication_create
from gongkai.web.supervision.models import Finding
from gongkai.web.supervision.services import (
    finding_accept,
    finding_add,
    finding_reply,
    finding_return,
    inspection_run,
    inspection_settings_set,
)

TODAY = date(2026, 9, 15)
Check = Finding.Check


def handler_of(world, agency):
    if agency == world.street:
        return world.users["handler"]
    user = UserFactory(username=f"handler_{agency.pk}")
    Membership.objects.get_or_create(user=user, agency=agency, role=Membership.Role.HANDLER)
    return user


def item(world, title, *, agency=None, formed_on=date(2026, 9, 1), published_on=None, column="",
         genre=Genre.OTHER_DOCUMENT, interprets=None):
    agency = agency or world.street
    publication = publication_create(agency=agency, acting_user=handler_of(world, agency), title=title, genre=genre,
                                     article20_item=Article20Item.REGULATIONS, formed_on=formed_on, body="正文")
    if published_on:  # the workflow's four eyes are tested elsewhere; here only the stored outcome matters
        Publication.objects.filter(pk=publication.pk).update(state=Publication.State.PUBLISHED,
                                                             published_on=published_on, column=column,
                                                             interprets=interprets)
        publication.refresh_from_db()
    return publication


def published_report(world, agency, year=2025):
    record = annual_report_record_create(agency=agency, year=year, acting_user=handler_of(world, agency))
    AnnualReportRecord.objects.filter(pk=record.pk).update(state=AnnualReportRecord.State.PUBLISHED)


def guide(agency, text="本机关政府信息公开指南（2026年版）"):
    disclosure, _ = AgencyDisclosure.objects.get_or_create(agency=agency, defaults={"agency_code": f"A{agency.pk}"})
    disclosure.guide = text
    disclosure.save()


@pytest.fixture
def quiet_west(world):
    """West street keeps its 专栏 and guide up to date and its report published, so only the street's problems show."""
    item(world, "西街道通知", agency=world.other_street, formed_on=date(2026, 9, 8), published_on=date(2026, 9, 9))
    published_report(world, world.other_street)
    guide(world.other_street)


def found(world, **filters):
    return sorted((f.kind, f.subject) for f in Finding.objects.filter(agency=world.street, **filters))


def test_the_automatic_checks_find_each_kind_of_problem(world, quiet_west):
    stale = item(world, "营商环境政策", column="优化营商环境", formed_on=date(2026, 4, 28), published_on=date(2026, 5, 1))
    item(world, "九月通知", formed_on=date(2026, 9, 8), published_on=date(2026, 9, 10))
    unpublished = item(world, "七月的通知", formed_on=date(2026, 7, 1))
    published_late = item(world, "六月的通知", formed_on=date(2026, 6, 1), published_on=date(2026, 8, 20))
    item(world, "刚形成的通知", formed_on=date(2026, 9, 10))  # its 20 working days are still running
    policy = item(world, "低保办法", genre=Genre.NORMATIVE_DOCUMENT, formed_on=date(2026, 9, 1),
                  published_on=date(2026, 9, 2))
    explained = item(world, "救助办法", genre=Genre.NORMATIVE_DOCUMENT, formed_on=date(2026, 9, 1),
                     published_on=date(2026, 9, 2))
    item(world, "救助办法解读", genre=Genre.INTERPRETATION, formed_on=date(2026, 9, 2), published_on=date(2026, 9, 3),
         interprets=explained)
    created = inspection_run(office=world.district, acting_user=world.supervisor, today=TODAY).created
    assert found(world) == sorted([
        (Check.STALE_COLUMN, "column:优化营商环境"),
        (Check.LATE_PUBLICATION, f"publication:{unpublished.pk}"),
        (Check.LATE_PUBLICATION, f"publication:{published_late.pk}"),
        (Check.ANNUAL_REPORT_MISSING, "annual:2025"),
        (Check.NO_INTERPRETATION, f"publication:{policy.pk}"),
        (Check.GUIDE, "guide"),
    ])
    assert len(created) == 6 and not Finding.objects.filter(agency=world.other_street).exists()
    stale_finding = Finding.objects.get(kind=Check.STALE_COLUMN)
    assert "90 天" in stale_finding.description and "2026-05-01" in stale_finding.description
    assert stale.column == "优化营商环境"
    first = Finding.objects.get(subject=f"publication:{unpublished.pk}")
    assert first.due_on == TODAY + timedelta(days=15) and first.month == date(2026, 9, 1)
    assert first.state == Finding.State.ASSIGNED and "至今未发布" in first.description


def test_the_office_sets_the_period_and_an_empty_column_is_stale(world, quiet_west):
    item(world, "营商环境政策", column="优化营商环境", formed_on=date(2026, 4, 28), published_on=date(2026, 5, 1))
    published_report(world, world.street)
    guide(world.street)
    inspection_settings_set(office=world.district, acting_user=world.supervisor, stale_days=200,
                            rectification_days=10)
    assert inspection_run(office=world.district, acting_user=world.supervisor, today=TODAY).created == []
    Publication.objects.filter(agency=world.street).delete()
    (finding,) = inspection_run(office=world.district, acting_user=world.supervisor, today=TODAY).created
    assert finding.agency == world.street and "还没有发布过信息" in finding.description
    assert finding.due_on == TODAY + timedelta(days=10)


def test_the_annual_report_is_asked_for_only_after_31_january(world, quiet_west):
    item(world, "一月通知", formed_on=date(2026, 1, 5), published_on=date(2026, 1, 6))
    guide(world.street)
    assert inspection_run(office=world.district, acting_user=world.supervisor, today=date(2026, 1, 31)).created == []
    (finding,) = inspection_run(office=world.district, acting_user=world.supervisor, today=date(2026, 2, 1)).created
    assert finding.kind == Check.ANNUAL_REPORT_MISSING and "2025年度" in finding.description


def test_a_guide_missing_or_unchanged_for_over_a_year_is_found(world, quiet_west):
    import time_machine

    item(world, "九月通知", formed_on=date(2026, 9, 8), published_on=date(2026, 9, 10))
    published_report(world, world.street)
    (missing,) = inspection_run(office=world.district, acting_user=world.supervisor, today=TODAY).created
    assert missing.kind == Check.GUIDE and "没有政府信息公开指南" in missing.description
    finding_reply(finding=missing, acting_user=world.users["agency_admin"], reply="已发布指南")
    finding_accept(finding=missing, acting_user=world.supervisor)
    with time_machine.travel(date(2025, 6, 1)):
        guide(world.street, "2025年版指南")
    AgencyDisclosure.objects.get(agency=world.street).save()  # saved again, unchanged: still the 2025 text
    (outdated,) = inspection_run(office=world.district, acting_user=world.supervisor, today=TODAY).created
    assert "自 2025-06-01 起未更新" in outdated.description
    guide(world.street, "2026年版指南")
    assert inspection_run(office=world.district, acting_user=world.supervisor, today=TODAY + timedelta(days=1)).created == []


def test_an_open_problem_is_not_listed_twice(world, quiet_west):
    first = inspection_run(office=world.district, acting_user=world.supervisor, today=TODAY).created
    assert first and inspection_run(office=world.district, acting_user=world.supervisor, today=TODAY).created == []
    assert inspection_run(office=world.district, acting_user=world.supervisor, today=TODAY + timedelta(days=31)).created == []
    assert Finding.objects.count() == len(first)


def test_only_the_office_s_supervisor_inspects(world):
    for user in (world.users["agency_admin"], world.other_intake):
        with pytest.raises(PermissionDenied):
            inspection_run(office=world.district, acting_user=user, today=TODAY)
    with pytest.raises(ValidationError, match="监督范围"):
        finding_add(office=world.district, agency=AgencyFactory(full_name="别区某局"), acting_user=world.supervisor,
                    description="x")


# ---------------------------------------------------------------- 整改


@pytest.fixture
def finding(world):
    return finding_add(office=world.district, agency=world.street, acting_user=world.supervisor,
                       description="公开指南仍是2019年版本", due_on=TODAY + timedelta(days=7))


def test_a_finding_is_replied_returned_replied_again_and_accepted(world, finding):
    guide = item(world, "公开指南（2026年版）", formed_on=date(2026, 9, 14), published_on=date(2026, 9, 15))
    theirs = item(world, "西街道指南", agency=world.other_street, published_on=date(2026, 9, 15))
    admin = world.users["agency_admin"]
    with pytest.raises(ValidationError, match="不是本单位的记录"):
        finding_reply(finding=finding, acting_user=admin, reply="已更新", publication_ids=(theirs.pk,))
    with pytest.raises(PermissionDenied):
        finding_reply(finding=finding, acting_user=world.supervisor, reply="代为答复")
    with pytest.raises(ValidationError):
        finding_accept(finding=finding, acting_user=world.supervisor)  # nothing replied yet
    finding_reply(finding=finding, acting_user=admin, reply="已更新")
    with pytest.raises(PermissionDenied):
        finding_accept(finding=finding, acting_user=admin)  # a unit does not accept its own reply
    with pytest.raises(ValidationError, match="理由"):
        finding_return(finding=finding, acting_user=world.supervisor, comment=" ")
    finding_return(finding=finding, acting_user=world.supervisor, comment="未见新版指南", due_on=TODAY + timedelta(days=3))
    assert (finding.state, finding.due_on) == (Finding.State.RETURNED, TODAY + timedelta(days=3))
    finding_reply(finding=finding, acting_user=admin, reply="新版指南已发布", publication_ids=(guide.pk,))
    finding_accept(finding=finding, acting_user=world.supervisor, comment="通过")
    finding.refresh_from_db()
    assert finding.state == Finding.State.ACCEPTED and list(finding.reply_publications.all()) == [guide]
    states = list(finding.history.order_by("history_date", "history_id").values_list("state", flat=True))
    assert states == ["assigned", "replied", "returned", "replied", "accepted"]


def test_an_open_finding_past_its_deadline_is_overdue(world, finding):
    assert not finding.is_overdue(TODAY + timedelta(days=7))
    assert finding.is_overdue(TODAY + timedelta(days=8))
    finding_reply(finding=finding, acting_user=world.users["agency_admin"], reply="已更新")
    assert not finding.is_overdue(TODAY + timedelta(days=8))  # replied: the office's turn


def test_the_office_page_counts_what_a_plain_query_counts(world, finding):
    late = finding_add(office=world.district, agency=world.other_street, acting_user=world.supervisor,
                       description="链接打不开", due_on=TODAY)
    Finding.objects.filter(pk=late.pk).update(due_on=TODAY - timedelta(days=1))
    client = Client()
    client.force_login(world.supervisor)
    body = client.get(reverse("supervision:office_findings")).content.decode()
    office = Finding.objects.filter(office=world.district)
    for state in Finding.State.values:
        assert f'id="count-{state}" href="?office={world.district.pk}&amp;state={state}">' \
               f'{office.filter(state=state).count()}</a>' in body
    overdue = office.filter(state__in=Finding.OPEN_STATES, due_on__lt=TODAY).count()
    assert overdue == 1 and f'state=overdue">{overdue}</a>' in body
    listed = client.get(reverse("supervision:office_findings"), {"state": "overdue"}).content.decode()
    assert "链接打不开" in listed and "公开指南仍是" not in listed


def test_supervisor_and_unit_walk_a_finding_through_the_pages(world, quiet_west):
    client = Client()
    client.force_login(world.supervisor)
    client.post(reverse("supervision:inspection_run"), {"office": world.district.pk})
    client.post(reverse("supervision:finding_add"), {"office": world.district.pk, "agency": world.street.pk,
                                                     "description": "首页链接打不开"})
    manual = Finding.objects.get(kind=Check.MANUAL)
    unit = Client()
    unit.force_login(world.users["agency_admin"])
    mine = unit.get(reverse("supervision:my_findings")).content.decode()
    assert "首页链接打不开" in mine and "上年度年度报告未发布" in mine
    url = reverse("supervision:finding_detail", args=[manual.pk])
    assert unit.post(url, {"reply": " "}).status_code == 400
    unit.post(url, {"reply": "已修复首页链接"})
    manual.refresh_from_db()
    assert manual.state == Finding.State.REPLIED
    assert unit.post(url, {"decision": "accept"}).status_code == 403
    assert client.post(url, {"decision": "return"}).status_code == 400  # a return needs its reason
    client.post(url, {"decision": "accept", "comment": "已核实"})
    manual.refresh_from_db()
    assert manual.state == Finding.State.ACCEPTED
    assert "整改通过" in client.get(url).content.decode()


def test_a_unit_sees_only_its_own_findings(world, finding):
    client = Client()
    client.force_login(world.other_intake)
    assert client.get(reverse("supervision:finding_detail", args=[finding.pk])).status_code == 404
    assert client.get(reverse("supervision:office_findings")).status_code == 403
    west_admin = MembershipFactory(user=UserFactory(username="west_admin"), agency=world.other_street,
                                   role=Membership.Role.AGENCY_ADMIN).user
    client.force_login(west_admin)
    assert "公开指南仍是" not in client.get(reverse("supervision:my_findings")).content.decode()
    assert client.post(reverse("supervision:finding_detail", args=[finding.pk]), {"reply": "x"}).status_code == 404


def on_portal(publication):
    """Released on the portal (the portal's gate wants the release time too)."""
    Publication.objects.filter(pk=publication.pk).update(publish_at=timezone.now() - timedelta(days=1))
    return publication


def test_attachments_missing_cut_short_or_not_their_kind_are_found(world, quiet_west):
    from gongkai.web.disclosure.models import Attachment

    notice = item(world, "九月通知", formed_on=date(2026, 9, 8), published_on=date(2026, 9, 10))
    pdf = b"%PDF-1.4\n%%EOF\n"
    good = Attachment.objects.create(publication=notice, name="通知.pdf", kind="pdf", size=len(pdf), content=pdf)
    gone = Attachment.objects.create(publication=notice, name="附表.xlsx", kind="xlsx", size=2048, content=b"")
    short = Attachment.objects.create(publication=notice, name="说明.pdf", kind="pdf", size=4096, content=pdf)
    error_page = b"<html><body>404 Not Found</body></html>"
    fake = Attachment.objects.create(publication=notice, name="图解.pdf", kind="pdf", size=len(error_page),
                                     content=error_page)
    draft = item(world, "草稿")
    Attachment.objects.create(publication=draft, name="草稿.pdf", kind="pdf", size=9, content=b"")  # not public yet
    inspection_run(office=world.district, acting_user=world.supervisor, today=TODAY)
    broken = {f.subject: f for f in Finding.objects.filter(agency=world.street, kind=Check.BROKEN_ATTACHMENT)}
    assert set(broken) == {f"attachment:{gone.pk}", f"attachment:{short.pk}", f"attachment:{fake.pk}"}
    assert f"attachment:{good.pk}" not in broken
    assert broken[f"attachment:{gone.pk}"].description == "「九月通知」的附件「附表.xlsx」无法打开：文件内容缺失"
    assert broken[f"attachment:{short.pk}"].description == (
        f"「九月通知」的附件「说明.pdf」无法打开：文件不完整（记录 4096 字节，实存 {len(pdf)} 字节）")
    assert broken[f"attachment:{fake.pk}"].description == "「九月通知」的附件「图解.pdf」无法打开：内容不是 PDF 文件"
    assert all(f.publication == notice for f in broken.values())


def test_links_in_a_body_to_pages_of_this_site_that_do_not_open_are_found(world, quiet_west, settings):
    settings.ALLOWED_HOSTS = ["gongkai.example.gov.cn"]
    target = on_portal(item(world, "九月通知", formed_on=date(2026, 9, 8), published_on=date(2026, 9, 10)))
    hidden = item(world, "草稿")
    body = (f"详见 /portal/publications/{target.pk}/ 和 https://gongkai.example.gov.cn/portal/publications/{target.pk}，"
            f"原文 /portal/publications/{hidden.pk}/；旧链接 https://gongkai.example.gov.cn/portal/old-page/。"
            f"指南见 /portal/{world.street.pk}/guide/，上级 https://www.gov.cn/zhengce/ 不是本站。"
            f"已删除 /portal/publications/999999/")
    linking = on_portal(item(world, "十月通知", formed_on=date(2026, 9, 9), published_on=date(2026, 9, 11)))
    Publication.objects.filter(pk=linking.pk).update(body=body)
    inspection_run(office=world.district, acting_user=world.supervisor, today=TODAY)
    (finding,) = Finding.objects.filter(agency=world.street, kind=Check.BROKEN_LINK)
    assert finding.subject == f"publication:{linking.pk}" and finding.publication == linking
    assert finding.description == (f"「十月通知」正文中的站内链接打不开：/portal/publications/{hidden.pk}/、"
                                   "https://gongkai.example.gov.cn/portal/old-page/、/portal/publications/999999/")
