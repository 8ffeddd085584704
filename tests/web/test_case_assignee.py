"""承办人: the handler who accepts a case handles it, it can be handed over within the agency, the list
can show one's own cases, and reminders go to the 承办人."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from tests.web.factories import MembershipFactory, UserFactory

from gongkai.web.agencies.models import Membership
from gongkai.web.cases import services as s
from gongkai.web.cases.models import ApplicationEvent
from gongkai.web.reminders.models import Message
from gongkai.web.reminders.services import reminders_send

Role = Membership.Role


@pytest.fixture
def second_handler(world):
    return MembershipFactory(user=UserFactory(username="east_handler2", first_name="李承办"), agency=world.street,
                             role=Role.HANDLER).user


def accepted(world, received_on=date(2024, 9, 27)):
    application = world.register(received_on=received_on).application
    application = s.application_start_review(application=application, acting_user=world.users["intake"])
    return s.application_accept(application=application, acting_user=world.users["handler"])


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_handler_who_accepts_becomes_the_assignee(world):
    application = accepted(world)
    assert application.assignee == world.users["handler"]
    assert ApplicationEvent.objects.get(application=application, action="accept").data == {"assignee": "east_handler"}


def test_handing_over_within_the_agency_keeps_the_state_and_logs_it(world, second_handler):
    application = accepted(world)
    handed = s.application_assign(application=application, acting_user=world.users["handler"], assignee=second_handler)
    assert handed.assignee == second_handler and handed.state == application.state
    event = ApplicationEvent.objects.get(application=application, action="assign")
    assert event.data == {"from": "east_handler", "to": "east_handler2"} and event.from_state == event.to_state


def test_handing_over_is_refused_to_anyone_but_a_handler_of_the_agency(world, second_handler):
    application = accepted(world)
    for stranger in (world.other_intake, world.users["reviewer"], world.supervisor):
        with pytest.raises(ValidationError, match="不是「测试区东街道办事处」的承办人员"):
            s.application_assign(application=application, acting_user=world.users["handler"], assignee=stranger)
    with pytest.raises(PermissionDenied, match="承办、机构管理员"):
        s.application_assign(application=application, acting_user=world.users["reviewer"], assignee=second_handler)
    with pytest.raises(ValidationError, match="已由「east_handler」承办"):
        s.application_assign(application=application, acting_user=world.users["handler"],
                             assignee=world.users["handler"])
    application.refresh_from_db()
    assert application.assignee == world.users["handler"]


def test_a_closed_case_is_not_handed_over(world, second_handler):
    application = s.application_draft_reply(application=accepted(world), acting_user=world.users["handler"],
                                            outcome="granted")
    application = s.application_approve_review(application=application, acting_user=world.users["reviewer"])
    application = s.application_sign(application=application, acting_user=world.users["signer"])
    application = s.application_deliver(application=application, acting_user=world.users["intake"],
                                        on=date(2024, 10, 8))
    with pytest.raises(ValidationError, match="已办结，不能转交"):
        s.application_assign(application=application, acting_user=world.users["agency_admin"], assignee=second_handler)


def test_the_page_offers_only_the_agencys_handlers_and_hands_over(world, second_handler):
    other_handler = MembershipFactory(user=UserFactory(username="west_handler"), agency=world.other_street,
                                      role=Role.HANDLER).user
    application = accepted(world)
    client = logged_in(world.users["handler"])
    page = client.get(f"/staff/cases/{application.pk}/").content.decode()
    assert f'<option value="{second_handler.pk}">李承办</option>' in page
    assert f'value="{other_handler.pk}"' not in page
    refused = client.post(f"/staff/cases/{application.pk}/steps/assign/", {"assign-assignee": other_handler.pk},
                          follow=True).content.decode()
    assert "只能转交给本机构的承办人员" in refused
    client.post(f"/staff/cases/{application.pk}/steps/assign/", {"assign-assignee": second_handler.pk})
    application.refresh_from_db()
    assert application.assignee == second_handler


def test_the_list_shows_the_assignee_and_can_show_only_ones_own(world, second_handler):
    mine = accepted(world)
    theirs = accepted(world)
    s.application_assign(application=theirs, acting_user=world.users["handler"], assignee=second_handler)
    client = logged_in(world.users["handler"])
    everything = client.get("/staff/cases/").content.decode()
    assert mine.number in everything and theirs.number in everything and "李承办" in everything
    own = client.get("/staff/cases/?mine=1").content.decode()
    assert mine.number in own and theirs.number not in own


def test_reminders_go_to_the_assignee_and_back_to_all_handlers_when_they_leave(world, second_handler):
    application = accepted(world)
    due = application.reply_deadline().due
    reminders_send(today=due + timedelta(days=1))
    assert set(Message.objects.values_list("recipient__username", flat=True)) == {"east_handler"}
    Membership.objects.filter(user=world.users["handler"], role=Role.HANDLER).delete()
    reminders_send(today=due + timedelta(days=2))
    assert set(Message.objects.values_list("recipient__username", flat=True)) == {"east_handler", "east_handler2"}
