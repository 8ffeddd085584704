"""补正 under 条例第三十条: told once (一次性告知), within 7 working days of receipt (a later notice is kept
and shown as late), and 视为放弃 only after the period the notice gave the applicant has run out."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client

from gongkai.web.cases import services as s
from gongkai.web.cases.models import Application

# Received Friday 2024-09-27: its 7 working days are 9-29 (调休 Sunday), 9-30, 10-08..11 and 10-12 (调休 Saturday).
RECEIVED, NOTICE_DUE = date(2024, 9, 27), date(2024, 10, 12)


def at(day: date):
    return time_machine.travel(datetime(day.year, day.month, day.day, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def reviewing(world) -> Application:
    application = world.register(received_on=RECEIVED).application
    return s.application_start_review(application=application, acting_user=world.users["intake"])


def step_buttons(html):
    return set(re.findall(r'<button type="submit" name="step" value="([a-z_]+)"', html))


def test_a_notice_after_the_seven_working_days_is_recorded_and_shown_as_late(world):
    with at(date(2024, 10, 14)):
        application = s.application_request_correction(application=reviewing(world), acting_user=world.users["intake"],
                                                       requested_on=date(2024, 10, 14))
        event = application.events.get(action="request_correction")
        assert event.data["late"] is True and event.data["notice_due"] == NOTICE_DUE.isoformat()
        assert "逾期" in event.message
        assert application.is_correction_notice_late()
        page = logged_in(world.users["handler"]).get(f"/staff/cases/{application.pk}/").content.decode()
    assert 'class="badge overdue correction-late">逾期告知' in page
    assert "补正告知：2024-10-14（星期一），逾期告知——超过条例第三十条：收到申请之日起 7 个工作日内" in page


def test_a_notice_in_time_is_not_marked_late(world):
    with at(NOTICE_DUE):
        application = s.application_request_correction(application=reviewing(world), acting_user=world.users["intake"],
                                                       requested_on=NOTICE_DUE)
        assert not application.is_correction_notice_late()
        assert application.events.get(action="request_correction").data["late"] is False
        page = logged_in(world.users["handler"]).get(f"/staff/cases/{application.pk}/").content.decode()
    assert "correction-late" not in page and "补正告知：2024-10-12（星期六），在期限内" in page


def test_abandonment_waits_for_the_period_the_notice_gave(world):
    # Notice on 2024-10-08: 15 working days run through 10-12 (调休 Saturday) … 2024-10-28.
    with at(date(2024, 10, 8)):
        application = s.application_request_correction(application=reviewing(world), acting_user=world.users["intake"],
                                                       requested_on=date(2024, 10, 8))
        assert application.correction_period_end() == date(2024, 10, 28)
        with pytest.raises(ValidationError) as refused:
            s.application_abandon(application=application, acting_user=world.users["intake"], on=date(2024, 10, 8))
        assert "补正期限至 2024-10-28 尚未届满" in refused.value.messages[0]
        html = logged_in(world.users["intake"]).get(f"/staff/cases/{application.pk}/").content.decode()
        assert "abandon" not in step_buttons(html) and "receive_correction" in step_buttons(html)
        assert "补正期限：告知之日起 15 个工作日，至 2024-10-28（星期一）" in html
    with at(date(2024, 10, 28)), pytest.raises(ValidationError):
        s.application_abandon(application=application, acting_user=world.users["intake"], on=date(2024, 10, 28))
    with at(date(2024, 10, 29)):
        html = logged_in(world.users["intake"]).get(f"/staff/cases/{application.pk}/").content.decode()
        assert "abandon" in step_buttons(html)
        abandoned = s.application_abandon(application=application, acting_user=world.users["intake"],
                                          on=date(2024, 10, 29))
    assert abandoned.state == Application.State.ABANDONED


def test_there_is_one_correction_notice_per_application(world):
    with at(date(2024, 10, 8)):
        application = s.application_request_correction(application=reviewing(world), acting_user=world.users["intake"],
                                                       requested_on=date(2024, 10, 8))
        application = s.application_receive_correction(application=application, acting_user=world.users["intake"],
                                                       received_on=date(2024, 10, 8))
        assert application.state == Application.State.REVIEWING
        html = logged_in(world.users["intake"]).get(f"/staff/cases/{application.pk}/").content.decode()
        assert "request_correction" not in step_buttons(html)
        assert "补正只告知一次（条例第三十条：一次性告知）" in html
        with pytest.raises(ValidationError) as refused:
            s.application_request_correction(application=application, acting_user=world.users["intake"],
                                             requested_on=date(2024, 10, 8))
    assert "一次性告知，不能再次告知补正" in refused.value.messages[0]
    assert application.events.filter(action="request_correction").count() == 1
