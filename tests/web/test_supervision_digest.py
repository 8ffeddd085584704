"""日提醒: the office's and the unit's digest — every count a plain query, every item a link, one gate."""

import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from tests.web.test_supervision_inspection import item

from gongkai.web.agencies.models import Agency
from gongkai.web.annual.models import AnnualReportRecord
from gongkai.web.cases import services as s
from gongkai.web.cases.models import Application
from gongkai.web.disclosure.models import Publication
from gongkai.web.supervision.digest import digest_of
from gongkai.web.supervision.digest_job import digests_send
from gongkai.web.supervision.models import DigestLine, Finding
from gongkai.web.supervision.services import checkin_item_add, finding_add


@pytest.fixture
def records(world):
    """Something overdue of every kind the digest lists (but fees), in both streets."""
    u = world.users
    overdue = s.application_start_review(application=world.register(received_on=date(2024, 9, 27)).application,
                                         acting_user=u["intake"])
    corrected = world.register(received_on=date(2024, 9, 2)).application
    corrected = s.application_start_review(application=corrected, acting_user=u["intake"])
    corrected = s.application_request_correction(application=corrected, acting_user=u["intake"],
                                                 requested_on=date(2024, 9, 30))  # 7 working days ended on 9-11
    west = world.register(received_on=date(2024, 9, 27), agency=world.other_street, user=world.other_intake)
    late = item(world, "六月的通知", formed_on=date(2026, 6, 1))
    west_late = item(world, "西街道六月的通知", agency=world.other_street, formed_on=date(2026, 6, 1))
    checkin_item_add(office=world.district, acting_user=world.supervisor, text="本周是否更新专栏", kind="yes_no")
    findings = [finding_add(office=world.district, agency=agency, acting_user=world.supervisor,
                            description="链接打不开") for agency in (world.street, world.other_street)]
    # the rectification deadline passed yesterday (a deadline in the past cannot be set through the service)
    Finding.objects.filter(pk__in=[f.pk for f in findings]).update(due_on=timezone.localdate() - timedelta(days=1))
    for finding in findings:
        finding.refresh_from_db()
    return dict(overdue=overdue, corrected=corrected, west=west.application, late=late, west_late=west_late,
                findings=findings)


def shown(response) -> dict[str, int]:
    html = response.content.decode()
    return {key: int(count) for key, count in re.findall(r'data-digest="(\w+)">(\d+)<', html)}


def links(response, key) -> list[str]:
    html = response.content.decode()
    return re.findall(rf'data-digest-item="{key}">(?:[^<]*)<a href="([^"]+)"', html)


def plain_counts(agency_ids, today):
    """The records behind each count, by plain queries of the models (not through the digest)."""
    open_cases = (Application.objects.filter(agency_id__in=agency_ids).exclude(state__in=Application.CLOSED_STATES)
                  .exclude(state=Application.State.CONSULTING))
    unpublished = Publication.objects.filter(agency_id__in=agency_ids, revision_of__isnull=True).exclude(
        state__in=[Publication.State.PUBLISHED, Publication.State.WITHDRAWN, Publication.State.MERGED])
    return {
        "overdue": sum(1 for a in open_cases if a.is_overdue(today)),
        "correction_late": sum(1 for a in open_cases if a.is_correction_notice_late()),
        "publication_late": sum(1 for p in unpublished if p.is_late(today)),
        "finding_overdue": Finding.objects.filter(agency_id__in=agency_ids, state__in=Finding.OPEN_STATES,
                                                  due_on__lt=today).count(),
        "annual_missing": 0 if today <= date(today.year, 1, 31) else Agency.objects.filter(pk__in=agency_ids).exclude(
            pk__in=AnnualReportRecord.objects.filter(year=today.year - 1, state="published").values("agency_id")).count(),
    }


def test_the_office_digest_counts_its_subtree_and_links_every_item(world, records):
    client = Client()
    client.force_login(world.supervisor)
    response = client.get(reverse("supervision:office_digest"))
    assert response.status_code == 200
    counts = shown(response)
    today = timezone.localdate()
    expected = plain_counts(world.district.subtree_ids(), today)
    assert {key: counts[key] for key in expected} == expected
    assert {key: expected[key] for key in expected if key != "annual_missing"} == {
        "overdue": 3, "correction_late": 1, "publication_late": 2, "finding_overdue": 2}
    assert counts["checkin_missing"] == 2  # both streets missed last week's check-in
    assert sorted(links(response, "overdue")) == sorted(
        reverse("staff:case_detail", args=[a.pk]) for a in (records["overdue"], records["corrected"], records["west"]))
    assert links(response, "correction_late") == [reverse("staff:case_detail", args=[records["corrected"].pk])]
    assert sorted(links(response, "publication_late")) == sorted(
        reverse("staff:publication_detail", args=[p.pk]) for p in (records["late"], records["west_late"]))
    assert sorted(links(response, "finding_overdue")) == sorted(
        reverse("supervision:finding_detail", args=[f.pk]) for f in records["findings"])
    for url in links(response, "finding_overdue"):
        assert client.get(url).status_code == 200


def test_a_unit_sees_only_its_own_records(world, records):
    client = Client()
    handler = world.users["handler"]
    client.force_login(handler)
    response = client.get(reverse("supervision:my_digest"))
    assert response.status_code == 200
    counts = shown(response)
    expected = plain_counts({world.street.pk}, timezone.localdate())
    assert {key: counts[key] for key in expected} == expected
    assert {key: expected[key] for key in expected if key != "annual_missing"} == {
        "overdue": 2, "correction_late": 1, "publication_late": 1, "finding_overdue": 1}
    assert counts["checkin_missing"] == 1
    html = response.content.decode()
    assert records["west"].number not in html and "西街道六月的通知" not in html
    for key in ("overdue", "publication_late"):
        for url in links(response, key):
            assert client.get(url).status_code == 200  # the unit may open every record its digest links to
    # the west street's intake sees the west street's records and none of the east's
    for page in ("staff:message_list", "supervision:my_findings", "supervision:my_checkins"):
        assert reverse("supervision:my_digest") in client.get(reverse(page)).content.decode()  # reached from them
    client.force_login(world.other_intake)
    west = client.get(reverse("supervision:my_digest"))
    assert shown(west)["overdue"] == 1 and records["overdue"].number not in west.content.decode()


def test_the_office_digest_is_for_supervisors_only(world, records):
    client = Client()
    client.force_login(world.users["handler"])
    assert client.get(reverse("supervision:office_digest")).status_code == 403


def test_a_finding_past_its_deadline_only_after_the_deadline(world, records):
    agencies = [world.street]
    due_on = records["findings"][0].due_on
    sections = {section.key: section for section in digest_of(agencies, offices=[], today=due_on)}
    assert sections["finding_overdue"].count == 0
    sections = {section.key: section for section in digest_of(agencies, offices=[], today=due_on + timedelta(days=1))}
    assert [i.record for i in sections["finding_overdue"].items] == [records["findings"][0]]


# ---------------------------------------------------------------- the daily job


@pytest.fixture
def addressed(world):
    world.supervisor.email = "office@example.gov.cn"
    world.supervisor.save(update_fields=["email"])
    admin = world.users["agency_admin"]
    admin.email = "east@example.gov.cn"
    admin.save(update_fields=["email"])
    return world.supervisor, admin


def test_the_daily_job_run_twice_reports_no_item_twice(world, records, addressed):
    supervisor, admin = addressed
    today = timezone.localdate()
    first = digests_send(today=today)
    office_lines = DigestLine.objects.filter(recipient=supervisor, day=today)
    sections = digest_of(Agency.objects.filter(pk__in=world.district.subtree_ids()), offices=[world.district],
                         today=today)
    assert office_lines.count() == sum(section.count for section in sections) > 0
    assert sorted(office_lines.values_list("url", flat=True)) == sorted(
        item.url for section in sections for item in section.items)
    east_lines = DigestLine.objects.filter(recipient=admin, day=today)
    assert set(east_lines.values_list("agency_id", flat=True)) == {world.street.pk}  # its own records only
    assert first.created == DigestLine.objects.count()
    assert first.emailed == len(mail.outbox) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["east@example.gov.cn", "office@example.gov.cn"]
    assert reverse("staff:case_detail", args=[records["overdue"].pk]) in mail.outbox[0].body + mail.outbox[1].body

    again = digests_send(today=today)
    assert (again.created, again.emailed) == (0, 0)
    assert len(mail.outbox) == 2
    assert DigestLine.objects.count() == first.created

    tomorrow = digests_send(today=today + timedelta(days=1))  # still outstanding: reported again the next day
    assert tomorrow.created > 0 and len(mail.outbox) == 4


def test_a_failed_mail_is_sent_by_the_next_run(world, records, addressed, monkeypatch):
    import gongkai.web.supervision.digest_job as job

    def down(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(job, "send_mail", down)
    today = timezone.localdate()
    assert digests_send(today=today).emailed == 0
    monkeypatch.undo()
    assert digests_send(today=today).emailed == 2 and len(mail.outbox) == 2


def test_the_huey_task_runs_the_job(world, records, addressed):
    from huey.contrib.djhuey import HUEY

    from gongkai.web.reminders.tasks import digest_daily

    before = HUEY.immediate
    HUEY.immediate = True
    try:
        digest_daily()  # immediate mode: runs now, as the consumer would on schedule
    finally:
        HUEY.immediate = before
    assert DigestLine.objects.count() > 0 and len(mail.outbox) == 2
    assert digest_daily.call_local() == {"recipients": 2, "created": 0, "emailed": 0}


def test_last_years_annual_report_is_listed_only_after_31_january_until_published(world):
    from tests.web.test_supervision_inspection import published_report

    def missing(today):
        sections = {section.key: section for section in digest_of([world.street, world.other_street], offices=[],
                                                                  today=today)}
        return [i.agency for i in sections["annual_missing"].items]

    published_report(world, world.other_street, year=2025)
    assert missing(date(2026, 1, 31)) == []
    assert missing(date(2026, 2, 2)) == [world.street]
    published_report(world, world.street, year=2025)
    assert missing(date(2026, 2, 2)) == []
