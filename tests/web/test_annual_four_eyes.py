"""An annual report reaches the portal only through two people, a finished year and a full table.

* Four eyes: whoever wrote or submitted a version may not approve or publish that version,
  whatever roles they hold; the page says why the step is not offered and who acts next.
* A report on a year not yet over may be drafted but not submitted or published.
* Blank cells block publication; every message names cells as printed, never by key.
"""

import re
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from tests.web.factories import MembershipFactory, UserFactory

from gongkai.web.agencies.models import Membership
from gongkai.web.annual import services as annual
from gongkai.web.annual.models import AnnualReportRecord
from gongkai.web.registers.models import YearlyFigures

State = AnnualReportRecord.State
Role = Membership.Role
KEYS = ("licensing.decisions", "cells.blank", "proactive：", "applications.", "proactive.")


def visible_text(page: str) -> str:
    """What a reader sees: the page without its markup (attributes such as data-key hold keys by design)."""
    return re.sub(r"<[^>]+>", "", page)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _figures(world, year=2024, **values):
    defaults = {"licensing_decisions": 3, "penalty_decisions": 0, "coercion_decisions": 0, "fees_amount_10k_yuan": 0}
    return YearlyFigures.objects.create(agency=world.street, year=year, **{**defaults, **values})


@pytest.fixture
def all_roles(world):
    """One person holding 承办, 审核 and 签发 in the east street (as the demo's loader did everywhere)."""
    user = UserFactory(username="east_everything", first_name="全", last_name="能")
    for role in (Role.HANDLER, Role.REVIEWER, Role.SIGNER):
        MembershipFactory(user=user, agency=world.street, role=role)
    return user


def _submitted_by(world, user, year=2024):
    record = annual.annual_report_record_create(agency=world.street, year=year, acting_user=user)
    record = annual.annual_report_record_save_sections(record=record, acting_user=user, overview="本年度工作概况。")
    return annual.annual_report_record_submit(record=record, acting_user=user)


# ---------------------------------------------------------------- four eyes


def test_one_person_holding_every_role_cannot_take_their_own_version_to_the_portal(world, all_roles):
    _figures(world)
    record = _submitted_by(world, all_roles)
    with pytest.raises(PermissionDenied, match="双人复核"):
        annual.annual_report_record_approve(record=record, acting_user=all_roles)
    with pytest.raises(PermissionDenied, match="双人复核"):  # advance is approve + publish in one
        annual.annual_report_record_advance(record=record, acting_user=all_roles)
    record = annual.annual_report_record_approve(record=record, acting_user=world.users["reviewer"])
    with pytest.raises(PermissionDenied, match="双人复核"):
        annual.annual_report_record_publish(record=record, acting_user=all_roles)
    record = annual.annual_report_record_publish(record=record, acting_user=world.users["signer"])
    assert record.state == State.PUBLISHED


def test_a_writer_of_an_earlier_version_refreshed_into_this_one_is_a_writer_too(world, all_roles):
    _figures(world)
    record = annual.annual_report_record_create(agency=world.street, year=2024, acting_user=all_roles)
    annual.annual_report_record_save_sections(record=record, acting_user=all_roles, overview="全能写的概况。")
    fresh = annual.annual_report_record_refresh(record=record, acting_user=world.users["handler"])
    fresh = annual.annual_report_record_submit(record=fresh, acting_user=world.users["handler"])
    with pytest.raises(PermissionDenied, match="第2版"):
        annual.annual_report_record_approve(record=fresh, acting_user=all_roles)


def test_a_reviewer_who_was_not_a_writer_may_approve_even_with_other_roles(world, all_roles):
    _figures(world)
    record = _submitted_by(world, world.users["handler"])
    record = annual.annual_report_record_approve(record=record, acting_user=all_roles)
    assert record.state == State.APPROVED


def test_the_page_says_why_a_step_is_not_offered_and_who_acts_next(world, all_roles):
    _figures(world)
    world.users["reviewer"].first_name, world.users["reviewer"].last_name = "审", "李"
    world.users["reviewer"].save()
    record = _submitted_by(world, all_roles)
    page = logged_in(all_roles).get(f"/staff/annual/{record.pk}/").content.decode()
    assert 'value="approve"' not in page and 'value="return"' in page
    assert "您撰写或提交了第1版，按“双人复核”规定不能审核通过同一版本" in page
    assert "下一步：审核通过，由本机构审核岗位办理" in page
    assert "李审（east_reviewer）" in page and "能全（east_everything）撰写或提交了本版本" in page
    assert logged_in(all_roles).post(f"/staff/annual/{record.pk}/steps/approve/").status_code == 403
    # the reviewer sees the step; the writer of the next step sees who signs
    assert 'value="approve"' in logged_in(world.users["reviewer"]).get(f"/staff/annual/{record.pk}/").content.decode()
    logged_in(world.users["reviewer"]).post(f"/staff/annual/{record.pk}/steps/approve/")
    page = logged_in(world.users["handler"]).get(f"/staff/annual/{record.pk}/").content.decode()
    assert "下一步：签发发布，由本机构签发岗位办理" in page and "east_signer" in page


def test_the_api_obeys_four_eyes_too(world, all_roles):
    _figures(world)
    record = _submitted_by(world, all_roles)
    response = logged_in(all_roles).post(f"/api/annual-reports/{record.pk}/steps/approve", {},
                                         content_type="application/json")
    assert response.status_code == 403 and "双人复核" in response.json()["detail"]
    record.refresh_from_db()
    assert record.state == State.IN_REVIEW


# ---------------------------------------------------------------- a finished year, a full table


def test_a_report_on_a_year_not_yet_over_is_a_draft_only(world, office_day):
    _figures(world, year=office_day.year)
    record = annual.annual_report_record_create(agency=world.street, year=office_day.year,
                                                acting_user=world.users["handler"])
    record = annual.annual_report_record_save_sections(record=record, acting_user=world.users["handler"],
                                                       overview="本年度工作概况。")
    with pytest.raises(ValidationError, match=f"{office_day.year}年尚未结束"):
        annual.annual_report_record_submit(record=record, acting_user=world.users["handler"])
    with pytest.raises(ValidationError, match="尚未结束"):
        annual.annual_report_record_advance(record=record)  # the system is held to it too
    page = logged_in(world.users["handler"]).get(f"/staff/annual/{record.pk}/").content.decode()
    assert f"{office_day.year}年尚未结束，年度报告只能在年度结束后发布" in page
    # a version already 待签发 (stored before this rule) is not published either
    AnnualReportRecord.objects.filter(pk=record.pk).update(state=State.APPROVED)
    with pytest.raises(ValidationError, match="尚未结束"):
        annual.annual_report_record_publish(record=record, acting_user=world.users["signer"])
    record.refresh_from_db()
    assert record.state == State.APPROVED and record.published_at is None


def test_blank_cells_block_publication_until_filled_or_stated_as_zero(world):
    figures = _figures(world, licensing_decisions=None, coercion_decisions=None)
    record = annual.annual_report_record_create(agency=world.street, year=2024, acting_user=world.users["handler"])
    record = annual.annual_report_record_save_sections(record=record, acting_user=world.users["handler"],
                                                       overview="本年度工作概况。")
    with pytest.raises(ValidationError) as refused:
        annual.annual_report_record_submit(record=record, acting_user=world.users["handler"])
    text = "；".join(refused.value.messages)
    assert "表二「行政许可」「本年处理决定数量」、表二「行政强制」「本年处理决定数量」没有数字" in text
    assert "确实没有的请填 0" in text
    assert not any(key in text for key in KEYS)
    response = logged_in(world.users["handler"]).post(f"/staff/annual/{record.pk}/steps/submit/", follow=True)
    page = visible_text(response.content.decode())
    assert "提交审核未完成" in page and "表二「行政许可」「本年处理决定数量」" in page
    assert not any(key in page for key in KEYS)
    # a version already 待签发 with blanks is not published
    AnnualReportRecord.objects.filter(pk=record.pk).update(state=State.APPROVED)
    with pytest.raises(ValidationError, match="行政强制"):
        annual.annual_report_record_publish(record=record, acting_user=world.users["signer"])
    AnnualReportRecord.objects.filter(pk=record.pk).update(state=State.DRAFT)

    figures.licensing_decisions, figures.coercion_decisions = 2, 0  # stated as 0 is a number
    figures.save()
    fresh = annual.annual_report_record_refresh(record=record, acting_user=world.users["handler"])
    fresh = annual.annual_report_record_submit(record=fresh, acting_user=world.users["handler"])
    fresh = annual.annual_report_record_approve(record=fresh, acting_user=world.users["reviewer"])
    assert annual.annual_report_record_publish(record=fresh, acting_user=world.users["signer"]).state == State.PUBLISHED


def test_check_findings_on_the_page_name_cells_by_their_printed_labels(world):
    world.register(received_on=date(2024, 3, 1))
    record = annual.annual_report_record_create(agency=world.street, year=2024, acting_user=world.users["handler"])
    page = logged_in(world.users["handler"]).get(f"/staff/annual/{record.pk}/").content.decode()
    assert "【警告】表二：有 4 个单元格没有数字：表二「行政许可」「本年处理决定数量」、" in page
    assert "<code>" not in page.split('id="issues"')[1].split("</ul>")[0]
    assert not any(key in visible_text(page) for key in KEYS)
