"""The supervising office's overview of its units' annual reports: who has published, who has not, and
what the checks find."""

from datetime import date

from django.test import Client
from tests.web.factories import figures_stated

from gongkai.web.annual.models import AnnualReportRecord
from gongkai.web.annual.selectors import annual_overview
from gongkai.web.annual.services import annual_report_record_advance, annual_report_record_create

State = AnnualReportRecord.State


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def published(agency, year):
    figures_stated(agency, year)  # table 二 stated, or the report could not be published
    record = annual_report_record_create(agency=agency, year=year)
    while record.state != State.PUBLISHED:
        record = annual_report_record_advance(record=record)
    return record


def test_the_supervisor_sees_every_unit_published_in_progress_or_missing(world):
    world.register(received_on=date(2024, 3, 4))
    east = published(world.street, 2024)
    west = annual_report_record_create(agency=world.other_street, year=2024)
    statuses = {status.agency.full_name: status for status in annual_overview(world.supervisor, 2024)}
    assert set(statuses) == {"测试区人民政府", "测试区东街道办事处", "测试区西街道办事处"}
    assert statuses["测试区东街道办事处"].published == east and statuses["测试区东街道办事处"].errors == 0
    assert statuses["测试区西街道办事处"].latest == west and statuses["测试区西街道办事处"].published is None
    assert statuses["测试区人民政府"].latest is None
    page = logged_in(world.supervisor).get("/staff/annual/overview/?year=2024").content.decode()
    assert "共 3 个单位，已发布 1 个，检查发现错误的 0 个" in page
    assert "未编写" in page and "草稿" in page and f'href="/staff/annual/{east.pk}/"' in page


def test_a_unit_sees_only_itself(world):
    statuses = annual_overview(world.users["handler"], 2024)
    assert [status.agency for status in statuses] == [world.street]


def test_a_published_report_that_does_not_balance_is_counted_as_having_errors(world):
    world.register(received_on=date(2024, 3, 4))
    record = published(world.street, 2024)
    record.snapshot["applications"]["new"]["natural_person"] += 1  # as if typed by hand: the row no longer adds up
    record.save(update_fields=["snapshot"])
    [east] = [s for s in annual_overview(world.supervisor, 2024) if s.agency == world.street]
    assert east.errors >= 1
    page = logged_in(world.supervisor).get("/staff/annual/overview/?year=2024").content.decode()
    assert "检查发现错误的 1 个" in page


def test_a_bad_year_in_the_address_falls_back_to_a_valid_one(world):
    client = logged_in(world.supervisor)
    assert client.get("/staff/annual/overview/?year=abc").status_code == 200
    assert "2019年度政府信息公开工作年度报告汇总" in client.get("/staff/annual/overview/?year=1990").content.decode()


def test_the_overview_reads_last_years_reports_once_whatever_the_number_of_units(world, django_assert_max_num_queries):
    for agency in (world.street, world.other_street):
        published(agency, 2023)
        published(agency, 2024)
    with django_assert_max_num_queries(6):  # the gate (memberships, subtree), agencies, this and last year
        statuses = annual_overview(world.supervisor, 2024)
    assert [s.errors for s in statuses] == [0, 0, 0]
