"""In-app reminders: each user reads their own, opens the case, marks them read; a fee notice past its
payment period is reminded too, once."""

from datetime import date, timedelta

import pytest
from django.test import Client

from gongkai.web.cases import fees
from gongkai.web.cases import services as s
from gongkai.web.reminders.models import Message
from gongkai.web.reminders.services import reminders_send
from gongkai.workdays import load_calendar


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def accepted(world, received_on=date(2024, 9, 27)):
    application = world.register(received_on=received_on).application
    application = s.application_start_review(application=application, acting_user=world.users["intake"])
    return s.application_accept(application=application, acting_user=world.users["handler"])


@pytest.fixture
def overdue(world):
    application = accepted(world)
    reminders_send(today=application.reply_deadline().due + timedelta(days=1))
    return application


def test_the_handler_reads_their_reminders_with_a_link_to_the_case(world, overdue):
    client = logged_in(world.users["handler"])
    page = client.get("/staff/reminders/").content.decode()
    assert f'href="/staff/cases/{overdue.pk}/">{overdue.number}</a>' in page
    assert "已超过答复期限" in page and "1 条未读" in client.get("/staff/").content.decode()
    others = logged_in(world.users["reviewer"]).get("/staff/reminders/").content.decode()
    assert overdue.number not in others and "没有提醒" in others


def test_marking_one_then_all_read(world, overdue):
    second = accepted(world, received_on=date(2024, 9, 30))
    reminders_send(today=second.reply_deadline().due + timedelta(days=1))
    client = logged_in(world.users["handler"])
    first_message = Message.objects.get(application=overdue)
    client.post("/staff/reminders/read/", {"message": first_message.pk})
    assert Message.objects.filter(read_at__isnull=True).count() == Message.objects.count() - 1
    unread_page = client.get("/staff/reminders/?unread=1").content.decode()
    assert second.number in unread_page and overdue.number not in unread_page
    client.post("/staff/reminders/read/")
    assert not Message.objects.filter(read_at__isnull=True).exists()
    assert "条未读" not in client.get("/staff/").content.decode()


def test_nobody_marks_anothers_reminders(world, overdue):
    message = Message.objects.get()
    logged_in(world.users["reviewer"]).post("/staff/reminders/read/", {"message": message.pk})
    logged_in(world.users["reviewer"]).post("/staff/reminders/read/")
    message.refresh_from_db()
    assert message.read_at is None
    assert logged_in(world.users["handler"]).get("/staff/reminders/read/").status_code == 405


def test_a_lapsed_fee_notice_is_reminded_once_and_not_after_closing(world):
    application = accepted(world, received_on=date(2024, 10, 8))
    application = fees.application_issue_fee_notice(application=application, acting_user=world.users["handler"],
                                                    basis="per_page", pages=120, issued_on=date(2024, 10, 9))
    notice = application.fee_notices.get()
    assert notice.due_on == load_calendar().add_working_days(date(2024, 10, 9), fees.FEE_PAYMENT_WORKING_DAYS)
    reminders_send(today=notice.due_on)  # the last day to pay: no reminder yet
    assert not Message.objects.filter(kind=Message.Kind.FEE_LAPSED).exists()
    after = notice.due_on + timedelta(days=1)
    reminders_send(today=after)
    reminders_send(today=after + timedelta(days=1))
    lapsed = Message.objects.get(kind=Message.Kind.FEE_LAPSED)
    assert lapsed.recipient == world.users["handler"] and lapsed.due_on == notice.due_on
    assert "缴费期限" in lapsed.text and "不再处理" in lapsed.text
    fees.application_close_unpaid_fee(application=application, acting_user=world.users["handler"], on=after)
    reminders_send(today=after + timedelta(days=2))
    assert Message.objects.filter(kind=Message.Kind.FEE_LAPSED).count() == 1
