"""Staff pages: my cases with derived deadlines, masking, the steps a user may take, the access log, no XSS."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.test import Client
from django.utils import timezone

from gongkai.web.cases import services as s
from gongkai.web.cases.models import Application
from gongkai.web.cases.services import application_register
from gongkai.web.staff.masking import mask_address, mask_id_number, mask_phone
from gongkai.web.staff.models import PersonalDataAccess
from gongkai.workdays import load_calendar

State = Application.State
XSS = '<script>alert("x")</script>'


def register(world, *, received_on=None, name="张三", sought="某路段拆迁补偿方案", agency=None, user=None):
    return application_register(
        agency=agency or world.street, acting_user=user or world.users["intake"], applicant_type="natural_person",
        applicant_name=name, channel="in_person", received_on=received_on or timezone.localdate(),
        information_sought=sought, applicant_id_number="110101199001011234", applicant_phone="13912345678",
        applicant_address="北京市东城区东街道幸福里3号楼", applicant_email="zhang@example.cn",
    ).application


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def detail(application):
    return f"/staff/cases/{application.pk}/"


def post_step(client, application, step, **data):
    return client.post(f"/staff/cases/{application.pk}/steps/{step}/",
                       {f"{step}-{key}": value for key, value in data.items()})


def step_buttons(html):
    return set(re.findall(r'<button type="submit" name="step" value="([a-z_]+)"', html))


class TestMasking:
    def test_it_keeps_only_the_ends(self):
        assert mask_id_number("110101199001011234") == "110***********1234"
        assert mask_phone("13912345678") == "139******78"
        assert mask_address("北京市东城区东街道幸福里3号楼") == "北京市东城区****"
        assert mask_id_number("") == mask_phone("") == mask_address("") == ""
        assert mask_id_number("1234") == "****"


class TestLogin:
    def test_pages_need_a_login(self, world, client):
        application = register(world)
        for url in ["/staff/", detail(application)]:
            response = client.get(url)
            assert response.status_code == 302 and response["Location"].startswith("/staff/login/")

    def test_staff_log_in_through_the_lockout_backend(self, world, client):
        response = client.post("/staff/login/", {"username": "east_handler", "password": "correct-horse-battery"})
        assert response.status_code == 302 and response["Location"] == "/staff/"
        bad = Client().post("/staff/login/", {"username": "east_signer", "password": "wrong"})
        assert "用户名或密码不正确" in bad.content.decode()


class TestCaseList:
    def test_it_lists_only_visible_cases_with_masked_personal_data(self, world):
        mine = register(world)
        theirs = register(world, agency=world.other_street, user=world.other_intake)
        html = logged_in(world.users["handler"]).get("/staff/cases/").content.decode()
        assert mine.number in html and theirs.number not in html
        assert "110***********1234" in html and "110101199001011234" not in html
        assert "13912345678" not in html and "幸福里" not in html

    def test_the_supervisor_sees_the_subtree(self, world):
        mine = register(world)
        theirs = register(world, agency=world.other_street, user=world.other_intake)
        html = logged_in(world.supervisor).get("/staff/cases/").content.decode()
        assert mine.number in html and theirs.number in html

    def test_it_highlights_due_soon_and_overdue_without_storing_it(self, world):
        calendar, today = load_calendar(), timezone.localdate()
        fresh = register(world, received_on=today)
        # received 16 working days ago: 4 working days left — due soon
        soon = register(world, received_on=calendar.add_working_days(today, -16))
        late = register(world, received_on=calendar.add_working_days(today, -30))
        html = logged_in(world.users["handler"]).get("/staff/cases/").content.decode()
        rows = {number: row for row in re.findall(r"<tr class=\"([^\"]*)\">\s*<td><a [^>]*>([^<]+)</a>", html)
                for number in [row[1]]}
        assert rows[fresh.number][0] == ""
        assert rows[soon.number][0] == "due-soon"
        assert rows[late.number][0] == "overdue"
        late_by = calendar.working_days_between(late.reply_deadline(today=today).due, today)
        assert late_by == 10  # 30 working days after receipt: 10 past the 20-day limit
        assert "即将到期" in html and "已逾期" in html and f"逾期 {late_by} 个工作日" in html
        assert not any(f.name in {"overdue", "due_soon"} for f in Application._meta.fields)

    def test_it_filters_by_state_and_paginates(self, world):
        first = register(world)
        s.application_start_review(application=register(world), acting_user=world.users["intake"])
        client = logged_in(world.users["handler"])
        html = client.get("/staff/cases/", {"state": "reviewing"}).content.decode()
        assert first.number not in html and "共 1 件" in html
        for _ in range(26):
            register(world)
        page1 = client.get("/staff/cases/").content.decode()
        page2 = client.get("/staff/cases/", {"page": 2}).content.decode()
        assert "第 1 / 2 页" in page1 and "下一页" in page1
        assert page2.count('<td><a href="/staff/cases/') == 28 - 25


class TestYearWithoutSchedule:
    """After the calendar's last year: deadlines are 预计 from the statutory holidays, and the pages say so."""

    def test_in_a_year_with_no_schedule_the_pages_mark_provisional_dates_and_keep_working(self, world):
        calendar = load_calendar()
        last, missing = calendar.last_year, calendar.last_year + 1
        with time_machine.travel(datetime(missing, 1, 11, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
            late = register(world, received_on=date(last, 11, 2))  # due in November, still open
            crossing = register(world, received_on=date(last, 12, 28))  # its 20th working day is next year
            client = logged_in(world.users["handler"])
            response = client.get("/staff/cases/")
            assert response.status_code == 200
            html = response.content.decode()
            assert f"没有 {missing} 年的节假日安排：落在 {missing} 年的答复期限和剩余工作日按法定节假日和周末推算" in html
            rows = dict((number, (flag, cells)) for flag, number, cells in re.findall(
                r'<tr class="([^"]*)">\s*<td><a [^>]*>([^<]+)</a>(.*?)</tr>', html, re.S))
            late_due = calendar.add_working_days(date(last, 11, 2), 20)
            assert rows[late.number][0] == "overdue" and late_due.isoformat() in rows[late.number][1]
            assert f'预计</abbr> {missing}-' in rows[crossing.number][1]
            page = client.get(detail(crossing)).content.decode()
            assert f"答复期限：预计 {missing}-" in page and "以国务院办公厅公布的放假安排为准" in page

    def test_from_november_staff_are_told_next_years_schedule_is_missing(self, world):
        register(world)
        assert 'id="calendar-notice"' not in logged_in(world.users["handler"]).get("/staff/cases/").content.decode()
        last = load_calendar().last_year
        with time_machine.travel(datetime(last, 11, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
            html = logged_in(world.users["handler"]).get("/staff/cases/").content.decode()
        assert f"尚未载入 {last + 1} 年的节假日安排：跨入 {last + 1} 年的答复期限按法定节假日和周末推算" in html


class TestCaseDetail:
    def test_it_is_404_for_a_case_outside_the_users_agencies(self, world):
        theirs = register(world, agency=world.other_street, user=world.other_intake)
        assert logged_in(world.users["handler"]).get(detail(theirs)).status_code == 404

    def test_it_explains_the_due_date(self, world):
        application = register(world, received_on=date(2024, 9, 27))
        html = logged_in(world.users["handler"]).get(detail(application)).content.decode()
        assert "答复期限的计算" in html and "国庆" in html and "条例第三十三条" in html

    def test_it_offers_exactly_the_steps_the_user_may_take(self, world):
        application = register(world)
        u = world.users
        assert step_buttons(logged_in(u["intake"]).get(detail(application)).content.decode()) == {"start_review"}
        assert step_buttons(logged_in(u["handler"]).get(detail(application)).content.decode()) == {
            "start_review", "request_extension"}
        assert step_buttons(logged_in(u["reviewer"]).get(detail(application)).content.decode()) == set()
        assert step_buttons(logged_in(world.supervisor).get(detail(application)).content.decode()) == set()

    def test_a_step_is_taken_by_post_and_refused_by_the_service_for_the_wrong_role(self, world):
        application = register(world)
        response = post_step(logged_in(world.users["reviewer"]), application, "start_review")
        assert response.status_code == 403
        application.refresh_from_db()
        assert application.state == State.REGISTERED
        response = post_step(logged_in(world.users["intake"]), application, "start_review")
        assert response.status_code == 302
        application.refresh_from_db()
        assert application.state == State.REVIEWING

    def test_a_step_from_the_wrong_state_shows_the_services_message(self, world):
        application = register(world)
        client = logged_in(world.users["signer"])
        response = client.post(f"/staff/cases/{application.pk}/steps/sign/", follow=True)
        assert "不能签发" in response.content.decode()
        application.refresh_from_db()
        assert application.state == State.REGISTERED

    def test_a_step_needs_get_free_post_with_csrf(self, world):
        application = register(world)
        client = Client(enforce_csrf_checks=True)
        client.force_login(world.users["intake"])
        assert client.get(f"/staff/cases/{application.pk}/steps/start_review/").status_code == 405
        assert post_step(client, application, "start_review").status_code == 403
        application.refresh_from_db()
        assert application.state == State.REGISTERED

    def test_bad_step_input_is_reported_in_chinese(self, world):
        application = register(world)
        client = logged_in(world.users["handler"])
        post_step(client, application, "start_review")
        response = post_step(client, application, "request_correction", requested_on="not a date")
        assert response.status_code == 302
        html = client.get(detail(application)).content.decode()
        assert "补正告知日期格式不正确" in html
        yesterday = timezone.localdate() - timedelta(days=1)
        post_step(client, application, "request_correction", requested_on=yesterday.isoformat())
        assert "补正告知日期不能早于收到申请日期" in client.get(detail(application)).content.decode()

    def test_personal_data_is_masked_until_revealed_and_each_reveal_is_logged(self, world):
        application = register(world)
        client = logged_in(world.users["handler"])
        html = client.get(detail(application)).content.decode()
        assert "110101199001011234" not in html and "110***********1234" in html
        assert not PersonalDataAccess.objects.exists()
        for _ in range(2):
            html = client.get(detail(application), {"personal": "1"}).content.decode()
            assert "110101199001011234" in html and "13912345678" in html and "幸福里" in html
        accesses = PersonalDataAccess.objects.filter(application=application, user=world.users["handler"])
        assert accesses.count() == 2

    def test_the_supervisor_cannot_reveal_personal_data(self, world):
        application = register(world)
        html = logged_in(world.supervisor).get(detail(application), {"personal": "1"}).content.decode()
        assert "110101199001011234" not in html and 'id="show-personal"' not in html
        assert not PersonalDataAccess.objects.exists()


class TestEscaping:
    def test_no_field_can_inject_a_script(self, world):
        application = register(world, name=XSS, sought=f"第一行\n{XSS}")
        client = logged_in(world.users["handler"])
        for url, params in [("/staff/", {}), (detail(application), {}), (detail(application), {"personal": "1"})]:
            html = client.get(url, params).content.decode()
            assert XSS not in html
            assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
        post_step(client, application, "start_review")
        post_step(client, application, "accept")
        post_step(client, application, "start_consultation", party=XSS, start_on=timezone.localdate().isoformat())
        html = client.get(detail(application)).content.decode()
        assert XSS not in html and "<script" not in html

    def test_the_public_form_escapes_what_it_echoes(self, world, client):
        from gongkai.web.public.forms import new_form_token
        response = client.post("/shenqing/", {"agency": world.street.pk, "applicant_name": XSS,
                                              "information_sought": XSS, "form_token": new_form_token()})
        html = response.content.decode()
        assert response.status_code == 400 and XSS not in html and "<script" not in html
