"""On 2027-01-05, with the shipped calendar ending in 2026: every page and letter works, the dates resting
on 2027 are marked 预计, and adding the 2027 notice in the admin recomputes them and tells the 承办人."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from gongkai.web.cases import services as s
from gongkai.web.cases.letters.compose import LetterIncomplete, compose_letter
from gongkai.web.reminders.models import Message
from gongkai.web.schedules.models import HolidaySchedule
from gongkai.web.schedules.services import holiday_schedule_add
from gongkai.workdays import load_calendar

NEW_YEAR_2027 = datetime(2027, 1, 5, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
PROVISIONAL = "以国务院办公厅公布的放假安排为准"


def notice_2027() -> str:
    from tests.cli.test_workdays_cli import GOOD_2027_NOTICE

    return GOOD_2027_NOTICE


@pytest.fixture(autouse=True)
def on_5_january_2027(office_day, monkeypatch):
    monkeypatch.delenv("GONGKAI_WORKDAYS_FILE", raising=False)
    assert load_calendar(use_env=False).last_year == 2026, "the shipped calendar gained 2027: move these tests on"
    with time_machine.travel(NEW_YEAR_2027, tick=True):
        yield


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def register(world, received_on):
    return s.application_register(
        agency=world.street, acting_user=world.users["intake"], applicant_type="natural_person", applicant_name="张三",
        channel="in_person", received_on=received_on, information_sought="某路段拆迁补偿方案")


def extended(world, received_on=date(2027, 1, 4)):
    """Received Monday 2027-01-04, accepted, extended by 20 working days approved on 01-05."""
    registration = register(world, received_on)
    u = world.users
    application = s.application_start_review(application=registration.application, acting_user=u["intake"])
    application = s.application_accept(application=application, acting_user=u["handler"])
    application = s.application_request_extension(application=application, acting_user=u["handler"], days=20,
                                                  reason="需要检索的档案数量较大")
    application = s.application_approve_extension(application=application, acting_user=u["signer"],
                                                  approved_on=date(2027, 1, 5))
    return registration, application


# Received 2027-01-04: 20 working days end on 02-01; 20 more, with the provisional 2027's 春节 (除夕 5 Feb
# to 初三 8 Feb off), on 03-03.  With the 2027 notice (春节 5–11 Feb off, Sunday 14 Feb worked) on 03-05.
PROVISIONAL_DUE, NOTICE_DUE = date(2027, 3, 3), date(2027, 3, 5)


def test_the_due_date_is_computed_and_marked_provisional_on_every_page(world):
    registration, application = extended(world)
    assert application.reply_deadline().due == PROVISIONAL_DUE
    handler = logged_in(world.users["handler"])
    listing = handler.get("/staff/cases/").content.decode()
    assert '<abbr class="provisional"' in listing and f"预计</abbr> {PROVISIONAL_DUE.isoformat()}" in listing
    home = handler.get("/staff/").content.decode()  # the staff home's "my cases"
    assert f"预计</abbr> {PROVISIONAL_DUE.isoformat()}" in home
    page = handler.get(f"/staff/cases/{application.pk}/").content.decode()
    assert "预计 2027年3月3日" in page and 'id="case-due-provisional"' in page and PROVISIONAL in page
    assert "答复期限：预计 2027-03-03（星期三）。" in page
    assert "最迟 预计 2027年1月" in page  # the registration deadline of a case received in person
    progress = Client().post("/shenqing/progress/", {"number": application.number, "query_code": registration.query_code})
    text = progress.content.decode()
    assert progress.status_code == 200
    assert "预计 2027年3月3日" in text and PROVISIONAL in text


def test_the_extension_letter_states_the_provisional_date_and_says_so(world):
    _, application = extended(world)
    letter = compose_letter(application, "extension")
    body = "\n".join(letter.paragraphs)
    assert "延长后的答复期限预计至2027年3月3日（2027 年的放假安排国务院办公厅尚未公布" in body
    assert PROVISIONAL in body and "至。" not in body
    download = logged_in(world.users["handler"]).get(f"/staff/cases/{application.pk}/letters/extension.docx")
    assert download.status_code == 200


def test_an_agencys_own_wording_without_the_mark_gets_it_from_the_frame(world):
    from gongkai.web.cases.models import ReplyTemplate

    ReplyTemplate.objects.create(agency=world.street, kind="extension",
                                 body='答复期限延长至{{ extended_due_on|date:"Y年n月j日" }}。')
    _, application = extended(world)
    paragraphs = compose_letter(application, "extension").paragraphs
    assert paragraphs[0] == "答复期限延长至2027年3月3日。"
    assert paragraphs[-1].startswith("上述期限为预计：2027 年的放假安排") and paragraphs[-1].endswith(PROVISIONAL + "。")


def test_a_letter_whose_date_cannot_be_computed_is_not_produced_and_the_page_says_why(world):
    # An old case received in 2018, before the calendar's first year: its dates cannot be computed.
    _, application = extended(world, received_on=date(2018, 12, 20))
    with pytest.raises(LetterIncomplete) as refused:
        compose_letter(application, "extension")
    assert "延期答复告知书须写明延长后的答复期限，但延长后的答复期限无法计算" in refused.value.messages[0]
    handler = logged_in(world.users["handler"])
    page = handler.get(f"/staff/cases/{application.pk}/").content.decode()
    assert 'id="letter-incomplete-extension"' in page and "管理后台「节假日安排」" in page
    response = handler.get(f"/staff/cases/{application.pk}/letters/extension.pdf")
    assert response.status_code == 409
    assert "延期答复告知书暂不能生成" in response.content.decode() and "请管理员" in response.content.decode()


def test_adding_the_2027_notice_recomputes_the_deadlines_and_lists_the_moved_cases(world):
    _, moved = extended(world)
    unmoved = register(world, date(2027, 1, 5)).application  # 20 working days end before 春节 either way
    unmoved_due = unmoved.reply_deadline().due
    holiday_schedule_add(notice_text=notice_2027(), acting_user=world.users["agency_admin"])
    assert HolidaySchedule.objects.get().year == 2027
    deadline = moved.reply_deadline()
    assert deadline.due == NOTICE_DUE and not deadline.provisional
    assert unmoved.reply_deadline().due == unmoved_due
    (message,) = Message.objects.filter(kind=Message.Kind.DEADLINE_MOVED)
    assert message.application_id == moved.pk and message.recipient == world.users["handler"]
    assert message.text == (f"申请 {moved.number} 的答复期限由预计的 2027-03-03 改为 2027-03-05：2027 年放假安排已公布")
    handler = logged_in(world.users["handler"])
    assert "答复期限变动" in handler.get("/staff/reminders/").content.decode()
    page = handler.get(f"/staff/cases/{moved.pk}/").content.decode()
    assert "2027年3月5日" in page and 'id="case-due-provisional"' not in page
    body = "\n".join(compose_letter(moved, "extension").paragraphs)
    assert "延长后的答复期限至2027年3月5日。" in body and "预计" not in body


def test_the_admin_accepts_the_notice_text_and_refuses_what_it_cannot_read(world, admin_client):
    bad = notice_2027().replace("（周五）至3日", "（周四）至3日")
    response = admin_client.post("/admin/schedules/holidayschedule/add/", {"notice_text": bad})
    assert response.status_code == 200 and not HolidaySchedule.objects.exists()
    assert "无法完整读取通知：第一项（元旦）：1月1日写作“周四”，但 2027-01-01 是星期五" in response.content.decode()
    response = admin_client.post("/admin/schedules/holidayschedule/add/", {"notice_text": notice_2027()}, follow=True)
    assert response.status_code == 200
    schedule = HolidaySchedule.objects.get()
    assert schedule.year == 2027 and "2027-02-14,makeup_workday,春节" in schedule.schedule_text
    assert "二、春节：放假 2027-02-05 至 2027-02-11（7 天）" in response.content.decode()
    again = admin_client.post("/admin/schedules/holidayschedule/add/", {"notice_text": notice_2027()})
    assert "已有 2027 年的节假日安排" in again.content.decode()


def test_only_a_superuser_reaches_the_site_calendar_in_the_admin(world):
    admin = logged_in(world.users["agency_admin"])
    assert admin.get("/admin/schedules/holidayschedule/add/").status_code in (302, 403)


def test_a_schedule_loaded_from_a_file_is_noticed_by_the_reminder_scan(world, tmp_path, monkeypatch):
    from gongkai.web.reminders.models import ProvisionalDue
    from gongkai.web.reminders.services import reminders_send
    from gongkai.workdays.notice import parse_notice

    _, moved = extended(world)
    reminders_send()
    assert ProvisionalDue.objects.get().due_on == PROVISIONAL_DUE
    assert not Message.objects.filter(kind=Message.Kind.DEADLINE_MOVED).exists()
    path = tmp_path / "2027.csv"
    path.write_text(parse_notice(notice_2027()).file_text(range(2019, 2027)), encoding="utf-8")
    monkeypatch.setenv("GONGKAI_WORKDAYS_FILE", str(path))
    reminders_send()
    (message,) = Message.objects.filter(kind=Message.Kind.DEADLINE_MOVED)
    assert message.text == f"申请 {moved.number} 的答复期限由预计的 2027-03-03 改为 2027-03-05：该年放假安排已载入"
    assert message.recipient == world.users["handler"] and message.due_on == NOTICE_DUE
    assert not ProvisionalDue.objects.exists()
    reminders_send()  # run again: nothing new
    assert Message.objects.filter(kind=Message.Kind.DEADLINE_MOVED).count() == 1


def test_the_api_and_the_reminders_carry_the_mark(world):
    from gongkai.web.reminders.services import reminders_send

    _, application = extended(world)
    data = logged_in(world.users["handler"]).get(f"/api/applications/{application.number}").json()
    assert data["due_on"] == PROVISIONAL_DUE.isoformat() and data["due_provisional"] is True
    assert PROVISIONAL in data["due_provisional_reason"]
    with time_machine.travel(datetime(2027, 3, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        reminders_send(within=3)
    message = Message.objects.get(kind=Message.Kind.DUE_SOON)
    assert message.text == f"申请 {application.number} 的答复期限为 预计 2027-03-03，即将到期"


def test_a_page_reads_the_stored_years_once_however_many_cases_it_lists(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for day in (4, 5):
        register(world, date(2027, 1, day))
    handler = logged_in(world.users["handler"])
    with CaptureQueriesContext(connection) as queries:
        assert handler.get("/staff/").status_code == 200
    assert sum("schedules_holidayschedule" in q["sql"] for q in queries.captured_queries) == 1


def test_only_the_last_stored_year_can_be_removed(world, admin_client):
    holiday_schedule_add(notice_text=notice_2027(), acting_user=world.users["agency_admin"])
    holiday_schedule_add(notice_text=_notice_2028(), acting_user=world.users["agency_admin"])
    first, last = HolidaySchedule.objects.order_by("year")
    assert admin_client.post(f"/admin/schedules/holidayschedule/{first.pk}/delete/", {"post": "yes"}).status_code == 403
    assert admin_client.post(f"/admin/schedules/holidayschedule/{last.pk}/delete/", {"post": "yes"}).status_code == 302
    assert list(HolidaySchedule.objects.values_list("year", flat=True)) == [2027]


def _notice_2028() -> str:
    """A made-up 2028 notice in the published wording (1 January 2028 is a Saturday)."""
    return """国务院办公厅关于2028年部分节假日安排的通知
一、元旦：1月1日（周六）至3日（周一）放假，共3天。
二、春节：1月25日（农历除夕、周二）至31日（农历正月初六、周一）放假调休，共7天。1月23日（周日）、2月5日（周六）上班。
三、清明节：4月4日（周二）放假1天，不调休。
四、劳动节：5月1日（周一）至5日（周五）放假调休，共5天。4月29日（周六）、5月6日（周六）上班。
五、端午节：5月28日（周日）至30日（周二）放假调休，共3天。
六、国庆节、中秋节：10月1日（周日）至7日（周六）放假调休，共7天。9月30日（周六）、10月8日（周日）上班。
"""
