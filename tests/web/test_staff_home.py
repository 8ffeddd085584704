"""The staff home (/staff/): my cases by urgency, what waits for my role, this month's figures."""

import re

from django.utils import timezone
from tests.web.test_staff_pages import logged_in, register

from gongkai.web.cases import services as s
from gongkai.workdays import load_calendar


def numbers_in(html: str, section_id: str) -> list[str]:
    """Application numbers linked inside the element with ``section_id``, in page order."""
    section = html.split(f'id="{section_id}"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<a class="number" href="/staff/cases/\d+/">([^<]+)</a>', section)


def accepted(world, received_on):
    application = register(world, received_on=received_on)
    s.application_start_review(application=application, acting_user=world.users["intake"])
    return s.application_accept(application=application, acting_user=world.users["handler"])


def test_my_cases_come_overdue_first_then_by_working_days_left(world):
    calendar, today = load_calendar(), timezone.localdate()
    fresh = accepted(world, today)  # 20 working days left
    soon = accepted(world, calendar.add_working_days(today, -17))  # 3 left
    late = accepted(world, calendar.add_working_days(today, -25))  # 5 overdue
    later = accepted(world, calendar.add_working_days(today, -22))  # 2 overdue
    html = logged_in(world.users["handler"]).get("/staff/").content.decode()
    assert numbers_in(html, "mine-h") == [late.number, later.number, soon.number, fresh.number]
    assert "逾期 5 个工作日" in html and "剩余 3 个工作日" in html and "剩余 20 个工作日" in html
    # another handler's page: none of these is theirs
    assert numbers_in(logged_in(world.users["reviewer"]).get("/staff/").content.decode(), "mine-h") == []


def test_each_role_sees_the_cases_waiting_for_its_step(world):
    new = register(world)  # 登记: waits for 审查 (受理登记 or 承办)
    drafted = accepted(world, timezone.localdate())
    s.application_draft_reply(application=drafted, acting_user=world.users["handler"], outcome="granted")
    intake = logged_in(world.users["intake"]).get("/staff/").content.decode()
    assert numbers_in(intake, "waiting-h") == [new.number] and "待审查" in intake
    reviewer = logged_in(world.users["reviewer"]).get("/staff/").content.decode()
    assert numbers_in(reviewer, "waiting-h") == [drafted.number] and "待审核" in reviewer
    signer = logged_in(world.users["signer"]).get("/staff/").content.decode()
    assert numbers_in(signer, "waiting-h") == [] and 'id="nothing-waiting"' in signer
    s.application_approve_review(application=drafted, acting_user=world.users["reviewer"])
    signer = logged_in(world.users["signer"]).get("/staff/").content.decode()
    assert numbers_in(signer, "waiting-h") == [drafted.number] and "待签发" in signer
    # the handler's own case is under 我承办的, not repeated under the role's queue
    handler = logged_in(world.users["handler"]).get("/staff/").content.decode()
    assert drafted.number in numbers_in(handler, "mine-h") and drafted.number not in numbers_in(handler, "waiting-h")
    # another agency's intake officer sees none of it
    assert new.number not in logged_in(world.other_intake).get("/staff/").content.decode()


def test_this_months_figures_count_received_closed_open_and_overdue(world):
    calendar, today = load_calendar(), timezone.localdate()
    accepted(world, today)
    accepted(world, calendar.add_working_days(today, -25))  # overdue, received last month
    done = accepted(world, today)
    s.application_draft_reply(application=done, acting_user=world.users["handler"], outcome="granted")
    s.application_approve_review(application=done, acting_user=world.users["reviewer"])
    s.application_sign(application=done, acting_user=world.users["signer"])
    s.application_deliver(application=done, acting_user=world.users["handler"], on=today)
    html = logged_in(world.users["handler"]).get("/staff/").content.decode()
    figures = dict((label, number) for number, label in re.findall(
        r"<strong>([\d—]+)</strong><span>([^<（]+)", html.split('id="month-figures"', 1)[1]))
    assert figures == {"本月收到申请": "2", "本月办结": "1", "在办案件": "2", "已逾期": "1"}


def test_after_login_staff_land_on_the_home_and_the_case_list_moved(world, client):
    response = client.post("/staff/login/", {"username": "east_handler", "password": "correct-horse-battery"})
    assert response["Location"] == "/staff/"
    html = client.get("/staff/").content.decode()
    assert "<h1>今日工作</h1>" in html and 'href="/staff/cases/"' in html
    assert "<h1>我的案件</h1>" in client.get("/staff/cases/").content.decode()


def test_a_step_other_roles_may_take_waits_for_them_even_when_a_handler_has_the_case(world):
    from gongkai.web.cases import fees

    application = accepted(world, timezone.localdate())  # the handler is its 承办人
    application = fees.application_issue_fee_notice(application=application, acting_user=world.users["handler"],
                                                     basis="per_page", pages=150, issued_on=timezone.localdate())
    assert application.state == "awaiting_fee"
    intake = logged_in(world.users["intake"]).get("/staff/").content.decode()
    assert numbers_in(intake, "waiting-h") == [application.number] and "待登记缴费" in intake
    handler = logged_in(world.users["handler"]).get("/staff/").content.decode()
    assert numbers_in(handler, "mine-h") == [application.number] and numbers_in(handler, "waiting-h") == []
