"""The reminder scan: idempotent, follows the due date, catches up after missed runs."""

from datetime import date, timedelta

import pytest
from django.core import mail
from huey.contrib.djhuey import HUEY

from gongkai.web.cases import services as s
from gongkai.web.reminders.models import Message
from gongkai.web.reminders.services import reminders_send
from gongkai.workdays import load_calendar


@pytest.fixture
def case(world):
    handler = world.users["handler"]
    handler.email = "handler@example.gov.cn"
    handler.save(update_fields=["email"])
    application = world.register(received_on=date(2024, 9, 27)).application
    application = s.application_start_review(application=application, acting_user=world.users["intake"])
    return s.application_accept(application=application, acting_user=handler)


@pytest.fixture
def immediate_huey():
    before = HUEY.immediate
    HUEY.immediate = True
    yield HUEY
    HUEY.immediate = before


def due_of(application):
    application.refresh_from_db()
    return application.reply_deadline().due


def test_due_soon_then_overdue_and_running_twice_changes_nothing(world, case):
    due = due_of(case)
    calendar = load_calendar()
    early = due - timedelta(days=20)
    assert reminders_send(today=early, within=3).created == 0
    two_before = next(d for d in (due - timedelta(days=n) for n in range(1, 10))
                      if calendar.add_working_days(d, 2) == due)
    first = reminders_send(today=two_before, within=3)
    assert (first.due, first.created, first.emailed) == (1, 1, 1)
    again = reminders_send(today=two_before, within=3)
    assert (again.created, again.emailed) == (0, 0)
    message = Message.objects.get()
    assert (message.recipient, message.application, message.kind, message.due_on) == (
        world.users["handler"], case, "due_soon", due)
    assert len(mail.outbox) == 1 and case.number in mail.outbox[0].subject
    assert mail.outbox[0].to == ["handler@example.gov.cn"]
    # the next day it is still due soon for the same date: nothing new
    assert reminders_send(today=due, within=3).created == 0
    overdue = reminders_send(today=due + timedelta(days=1), within=3)
    assert overdue.created == 1
    assert reminders_send(today=due + timedelta(days=2), within=3).created == 0
    assert sorted(Message.objects.values_list("kind", flat=True)) == ["due_soon", "overdue"]
    assert len(mail.outbox) == 2


def test_an_extension_moves_the_due_date_and_gives_a_new_reminder(world, case):
    due = due_of(case)
    assert reminders_send(today=due, within=3).created == 1
    case = s.application_request_extension(application=case, acting_user=world.users["handler"], days=10,
                                           reason="检索量大")
    # only an approved extension moves the due date
    assert reminders_send(today=due, within=3).created == 0
    s.application_approve_extension(application=case, acting_user=world.users["signer"], approved_on=due)
    new_due = due_of(case)
    assert new_due > due
    assert reminders_send(today=due + timedelta(days=1), within=3).created == 0  # not overdue any more, not due soon
    assert reminders_send(today=new_due, within=3).created == 1
    assert list(Message.objects.order_by("due_on").values_list("due_on", flat=True)) == [due, new_due]


def test_a_missed_run_is_caught_up(world, case):
    due = due_of(case)
    assert reminders_send(today=due - timedelta(days=20), within=3).created == 0
    # no run for weeks: the first run afterwards finds the application overdue from its state
    result = reminders_send(today=due + timedelta(days=15), within=3)
    assert result.created == 1 and Message.objects.get().kind == "overdue"


def test_failed_mail_is_retried_on_the_next_run(world, case, monkeypatch):
    due = due_of(case)
    from gongkai.web.reminders import services

    def down(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(services, "send_mail", down)
    assert reminders_send(today=due, within=3).emailed == 0
    monkeypatch.undo()
    assert reminders_send(today=due, within=3).emailed == 1
    assert Message.objects.get().emailed_at is not None


def test_closed_and_consulting_applications_get_no_reminders(world, case):
    due = due_of(case)
    s.application_start_consultation(application=case, acting_user=world.users["handler"], party="某公司",
                                     start_on=date(2024, 10, 8))
    assert reminders_send(today=due + timedelta(days=3), within=3).due == 0
    other = world.register(received_on=date(2024, 9, 27)).application
    other = s.application_start_review(application=other, acting_user=world.users["intake"])
    other = s.application_request_correction(application=other, acting_user=world.users["intake"],
                                             requested_on=date(2024, 9, 29))
    s.application_abandon(application=other, acting_user=world.users["intake"], on=date(2024, 10, 30))
    assert reminders_send(today=date(2024, 12, 1), within=3).due == 0
    assert not Message.objects.exists()


def test_supervisor_and_other_agencies_are_not_notified(world, case):
    reminders_send(today=due_of(case) + timedelta(days=1), within=3)
    assert set(Message.objects.values_list("recipient__username", flat=True)) == {"east_handler"}


def test_the_huey_task_runs_the_scan(world, case, immediate_huey):
    from gongkai.web.reminders.tasks import reminders_scan

    reminders_scan()  # immediate mode: runs now, as the consumer would on schedule
    assert Message.objects.get().kind == "overdue"  # received in 2024: overdue today
    reminders_scan()
    assert Message.objects.count() == 1 and len(mail.outbox) == 1
    assert reminders_scan.call_local() == {"due": 1, "created": 0, "emailed": 0}
