"""The annual report from the database: the demo seeds reproduce their published tables exactly."""

import json
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from tests.web.factories import figures_stated

from gongkai.report.checks import check_report
from gongkai.web.agencies.models import Agency
from gongkai.web.annual.build import annual_report
from gongkai.web.annual.models import AnnualReportRecord
from gongkai.web.annual.services import annual_report_record_advance, annual_report_record_create
from gongkai.web.appeals.models import Appeal
from gongkai.web.cases import services as s
from gongkai.web.demo.load import load_seed_data

EXPECTED = sorted((Path(__file__).parents[1] / "fixtures" / "expected").glob("*.json"))


@pytest.fixture
def seeded(db):
    load_seed_data()


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.stem)
def test_demo_data_reproduces_the_published_tables(seeded, path):
    expected = json.loads(path.read_text(encoding="utf-8"))
    report = annual_report(Agency.objects.get(full_name=expected["agency"]), 2021)
    built = report.to_json()
    assert built["applications"] == expected["applications"]
    assert built["appeals"] == expected["appeals"]
    assert built["proactive"] == expected["proactive"]
    assert [issue for issue in check_report(report) if issue.severity == "error"] == []


def test_loading_twice_changes_nothing(seeded):
    before = Agency.objects.count(), Appeal.objects.count()
    load_seed_data()
    assert (Agency.objects.count(), Appeal.objects.count()) == before


def test_cases_handled_in_the_system_are_counted(world):
    u = world.users
    application = world.register(received_on=date(2024, 3, 1)).application
    application = s.application_start_review(application=application, acting_user=u["intake"])
    application = s.application_accept(application=application, acting_user=u["handler"])
    application = s.application_draft_reply(application=application, acting_user=u["handler"],
                                            outcome="withheld.third_party_rights")
    application = s.application_approve_review(application=application, acting_user=u["reviewer"])
    application = s.application_sign(application=application, acting_user=u["signer"])
    s.application_deliver(application=application, acting_user=u["intake"], on=date(2024, 3, 20))
    world.register(received_on=date(2024, 12, 30), applicant_type="commercial")
    world.register(received_on=date(2024, 5, 6), agency=world.other_street, user=world.other_intake)
    Appeal.objects.create(agency=world.street, application=application, kind="review", filed_on=date(2023, 11, 1))
    Appeal.objects.create(agency=world.street, kind="litigation_direct", filed_on=date(2024, 6, 1),
                          result="corrected", decided_on=date(2025, 2, 1))
    Appeal.objects.create(agency=world.street, kind="litigation_direct", filed_on=date(2024, 6, 1),
                          result="upheld", decided_on=date(2024, 9, 1))
    Appeal.objects.create(agency=world.street, kind="review", filed_on=date(2023, 6, 1),
                          result="upheld", decided_on=date(2023, 9, 1))  # decided before 2024: not counted

    report = annual_report(world.street, 2024)
    apps = report.applications
    assert apps["new"]["total"] == 2 and apps["new"]["commercial"] == 1
    assert apps["withheld.third_party_rights"]["natural_person"] == 1
    assert apps["total"]["total"] == 1
    assert apps["carried_forward"]["commercial"] == 1
    assert report.appeals["review"] == {"upheld": 0, "corrected": 0, "other": 0, "pending": 1, "total": 1}
    assert report.appeals["litigation_direct"] == {"upheld": 1, "corrected": 0, "other": 0, "pending": 1, "total": 2}
    assert report.proactive["licensing"] == {"decisions": None}  # not entered: unstated, not 0
    assert [i for i in check_report(report) if i.severity == "error"] == []


def test_a_published_report_is_locked_and_versioned(world):
    figures_stated(world.street, 2024)
    record = annual_report_record_create(agency=world.street, year=2024)
    assert (record.version, record.state) == (1, "draft")
    record = annual_report_record_advance(record=record)
    record = annual_report_record_advance(record=record)
    assert record.state == AnnualReportRecord.State.PUBLISHED and record.is_locked
    with pytest.raises(ValidationError, match="已锁定"):
        annual_report_record_advance(record=record)
    assert annual_report_record_create(agency=world.street, year=2024).version == 2
