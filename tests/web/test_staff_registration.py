"""Staff registration of letters, in-person, fax and e-mail applications (条例第三十一条), and late registration."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone
from tests.web.threads import run_in_threads

from gongkai.web.cases.models import Application, ApplicationEvent
from gongkai.web.cases.services import application_register, query_code_matches
from gongkai.web.public.models import PublicSubmission
from gongkai.web.staff.intake import offline_application_register
from gongkai.workdays import load_calendar

FORM_URL = "/staff/cases/new/"
OFFLINE = ["letter", "in_person", "fax", "email"]


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_token(client) -> str:
    html = client.get(FORM_URL).content.decode()
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)


def form_data(world, token, **overrides):
    data = {
        "agency": world.street.pk, "channel": "letter", "received_on": timezone.localdate().isoformat(),
        "applicant_type": "natural_person", "applicant_name": "李四", "applicant_id_number": "11010119900101123x",
        "applicant_phone": "13912345678", "applicant_address": "北京市东城区东街道幸福里3号楼",
        "applicant_email": "", "information_sought": "2024年东街道老旧小区改造资金使用情况",
        "delivery_form": "纸质（邮寄）", "form_token": token,
    }
    data.update(overrides)
    return data


def register_through_page(world, client=None, **overrides):
    """POST the form as the east street's intake officer; returns (client, response of the POST)."""
    client = client or logged_in(world.users["intake"])
    response = client.post(FORM_URL, form_data(world, form_token(client), **overrides))
    return client, response


def shown(html, element_id):
    match = re.search(rf'id="{element_id}">([^<]*)<', html)
    return match.group(1) if match else None


def working_days_ago(days):
    return load_calendar().add_working_days(timezone.localdate(), -days)


class TestRegistration:
    @pytest.mark.parametrize("channel", OFFLINE)
    def test_an_intake_officer_registers_an_offline_application(self, world, channel):
        received_on = working_days_ago(1)
        client, response = register_through_page(world, channel=channel, received_on=received_on.isoformat())
        assert response.status_code == 302 and response["Location"].startswith("/staff/cases/new/done/")

        application = Application.objects.get()
        assert application.channel == channel and application.received_on == received_on
        assert application.agency == world.street and application.applicant_name == "李四"
        assert application.applicant_id_number == "11010119900101123X"  # the public form's check, upper-cased
        assert application.delivery_form == "纸质（邮寄）"
        event = ApplicationEvent.objects.get(application=application)
        assert event.action == "register" and event.acting_user == world.users["intake"]
        assert event.data == {"received_on": received_on.isoformat(), "channel": channel}

        html = client.get(response["Location"]).content.decode()
        assert shown(html, "application-number") == application.number
        code = shown(html, "query-code")
        assert re.fullmatch(r"[A-Z2-9]{8}", code) and query_code_matches(application, code)
        assert "登记超过规定期限" not in html
        assert f'href="/staff/cases/{application.pk}/"' in html

        again = client.get(response["Location"]).content.decode()  # shown once, never again
        assert shown(again, "application-number") == application.number
        assert shown(again, "query-code") is None and code not in again and "不再显示" in again
        assert code not in client.get(f"/staff/cases/{application.pk}/").content.decode()

    def test_the_form_shows_the_receipt_date_rule_of_each_channel(self, world):
        html = logged_in(world.users["intake"]).get(FORM_URL).content.decode()
        rules = dict(re.findall(r'<li data-channel="([a-z_]+)"[^>]*>([^<]+)</li>', html))
        assert set(rules) == set(OFFLINE)  # 网上 is the public form's
        assert "提交之日" in rules["in_person"]
        assert "签收之日" in rules["letter"] and "平常信函" in rules["letter"] and "双方确认之日" in rules["letter"]
        assert "双方确认之日" in rules["fax"] and "双方确认之日" in rules["email"]
        assert "条例第三十一条" in html
        # the only agency where the officer registers is preselected; the other street is not offered
        assert f'<option value="{world.street.pk}" selected>' in html
        assert world.other_street.full_name not in html

    def test_the_rule_of_the_chosen_channel_is_marked_when_the_form_comes_back(self, world):
        _, response = register_through_page(world, channel="fax", applicant_name="")
        html = response.content.decode()
        assert '<li data-channel="fax" class="selected">' in html
        assert '<li data-channel="letter" class="selected">' not in html

    def test_the_nav_links_to_the_form_for_everyone_logged_in(self, world):
        html = logged_in(world.users["handler"]).get("/staff/cases/").content.decode()
        assert f'<a href="{FORM_URL}">登记申请</a>' in html


class TestRefusals:
    @pytest.mark.parametrize("role", ["handler", "reviewer", "signer", "agency_admin"])
    def test_a_user_without_the_intake_role_is_refused_and_nothing_stored(self, world, role):
        client = logged_in(world.users[role])
        response = client.get(FORM_URL)
        assert response.status_code == 403 and "没有受理登记岗位" in response.content.decode()
        response = client.post(FORM_URL, form_data(world, "any-token"))
        assert response.status_code == 403
        assert not Application.objects.exists() and not PublicSubmission.objects.exists()

    def test_the_supervisor_of_the_district_is_refused_too(self, world):
        response = logged_in(world.supervisor).post(FORM_URL, form_data(world, "any-token"))
        assert response.status_code == 403 and not Application.objects.exists()

    def test_an_officer_cannot_register_for_another_agency(self, world):
        _, response = register_through_page(world, agency=world.other_street.pk)
        assert response.status_code == 400
        assert "您不能为所选机构登记申请" in response.content.decode()
        assert not Application.objects.exists()

    def test_the_service_refuses_without_the_role_and_stores_nothing(self, world):
        with pytest.raises(PermissionDenied, match="受理登记"):
            offline_application_register(
                token="t-1", agency=world.street, acting_user=world.users["handler"], channel="letter",
                received_on=timezone.localdate(), applicant_type="natural_person", applicant_name="李四",
                applicant_id_number="110101199001011234", applicant_phone="13912345678", information_sought="某文件",
                delivery_form="当面领取")
        assert not Application.objects.exists() and not PublicSubmission.objects.exists()

    def test_the_login_page_comes_first(self, world, client):
        response = client.get(FORM_URL)
        assert response.status_code == 302 and response["Location"].startswith("/staff/login/")


class TestBadInput:
    @pytest.mark.parametrize(("overrides", "field", "message"), [
        ({"received_on": "tomorrow"}, "received_on", "收到申请日期不能晚于今天"),
        ({"received_on": ""}, "received_on", "请填写收到申请日期"),
        ({"received_on": "2026-13-40"}, "received_on", "收到申请日期格式不正确"),
        ({"received_on": "2015-03-02"}, "received_on", "工作日安排只有"),
        ({"applicant_name": "  "}, "applicant_name", "请填写姓名或名称"),
        ({"applicant_id_number": "12345"}, "applicant_id_number", "公民身份号码应为 18 位"),
        ({"applicant_type": "commercial", "applicant_id_number": "110101199001011234x"},
         "applicant_id_number", "统一社会信用代码应为 18 位"),
        ({"applicant_phone": "电话"}, "applicant_phone", "联系电话格式不正确"),
        ({"information_sought": ""}, "information_sought", "请填写所需政府信息的描述"),
        ({"channel": ""}, "channel", "请选择申请方式"),
        ({"channel": "online"}, "channel", "请选择信函、当面、传真或电子邮件"),
        ({"delivery_form": "电子邮件", "applicant_email": ""}, "applicant_email", "选择电子邮件方式时请填写电子邮箱"),
    ])
    def test_bad_input_comes_back_with_a_chinese_message_next_to_the_field(self, world, overrides, field, message):
        if overrides.get("received_on") == "tomorrow":
            overrides = {"received_on": (timezone.localdate() + timedelta(days=1)).isoformat()}
        _, response = register_through_page(world, **overrides)
        assert response.status_code == 400
        html = response.content.decode()
        error = re.search(rf'<p class="error" id="id_{field}_error">([^<]+)</p>', html)
        assert error and message in error.group(1)
        assert "登记未成功" in html
        assert not Application.objects.exists() and not PublicSubmission.objects.exists()

    def test_the_entries_are_kept_when_the_form_comes_back(self, world):
        _, response = register_through_page(world, applicant_name="", information_sought="某路段拆迁补偿方案")
        assert "某路段拆迁补偿方案" in response.content.decode()

    def test_a_forged_form_token_is_refused(self, world):
        client = logged_in(world.users["intake"])
        response = client.post(FORM_URL, form_data(world, "not-a-signed-token"))
        assert response.status_code == 400 and "表单已失效" in response.content.decode()
        assert not Application.objects.exists()


class TestDoubleSubmit:
    def test_the_same_form_posted_twice_registers_once(self, world):
        client = logged_in(world.users["intake"])
        data = form_data(world, form_token(client))
        first = client.post(FORM_URL, data)
        code = shown(client.get(first["Location"]).content.decode(), "query-code")
        second = client.post(FORM_URL, data, follow=True)
        assert Application.objects.count() == 1 == PublicSubmission.objects.count()
        html = second.content.decode()
        assert shown(html, "application-number") == Application.objects.get().number
        assert "没有重复登记" in html and shown(html, "query-code") is None and code not in html

    @pytest.mark.django_db(transaction=True)
    def test_the_same_form_submitted_at_once_registers_one_application(self, world):
        def submit(n):
            return offline_application_register(
                token="same-token", agency=world.street, acting_user=world.users["intake"], channel="fax",
                received_on=timezone.localdate(), applicant_type="natural_person", applicant_name="李四",
                applicant_id_number="110101199001011234", applicant_phone="13912345678",
                information_sought="某文件", delivery_form="当面领取")

        results = run_in_threads(4, submit)
        assert Application.objects.count() == 1 == PublicSubmission.objects.count()
        assert {r.application.pk for r in results} == {Application.objects.get().pk}
        assert sum(r.query_code is not None for r in results) == 1  # the code goes to one response only

    def test_a_fresh_form_registers_a_second_application(self, world):
        client = logged_in(world.users["intake"])
        register_through_page(world, client)
        register_through_page(world, client, confirm_repeat="on")  # the same request again: confirmed after a warning
        numbers = list(Application.objects.values_list("number", flat=True))
        assert len(numbers) == 2 == len(set(numbers))

    def test_the_result_page_of_another_agency_is_not_shown(self, world):
        client, response = register_through_page(world)
        other = logged_in(world.other_intake).get(response["Location"])
        assert other.status_code == 302 and other["Location"] == FORM_URL


class TestLateRegistration:
    def late_and_on_time(self, world):
        client = logged_in(world.users["intake"])
        _, late_response = register_through_page(world, client, received_on=working_days_ago(5).isoformat(),
                                                 applicant_name="迟登记", information_sought="迟登记的申请")
        late_page = client.get(late_response["Location"]).content.decode()
        _, on_time_response = register_through_page(world, client, received_on=working_days_ago(2).isoformat(),
                                                    applicant_name="按时登记")
        on_time_page = client.get(on_time_response["Location"]).content.decode()
        late = Application.objects.get(applicant_name="迟登记")
        on_time = Application.objects.get(applicant_name="按时登记")
        return late, late_page, on_time, on_time_page

    def test_late_registration_is_flagged_on_the_result_page(self, world):
        late, late_page, on_time, on_time_page = self.late_and_on_time(world)
        due = load_calendar().add_working_days(late.received_on, 2)
        assert due < timezone.localdate()
        warning = re.search(r'id="registration-late">([^<]+)<', late_page).group(1)
        assert "登记超过规定期限（收到之日起 2 个工作日内）" in warning
        assert f"{due.year}年{due.month}月{due.day}日" in warning
        assert "登记超过规定期限" not in on_time_page  # received 2 working days ago: due today

    def test_it_is_flagged_in_the_list_next_to_the_number(self, world):
        late, _, on_time, _ = self.late_and_on_time(world)
        html = logged_in(world.users["handler"]).get("/staff/cases/").content.decode()
        cells = dict(re.findall(r'<td><a href="/staff/cases/\d+/">([^<]+)</a>(.*?)</td>', html))
        assert "登记逾期" in cells[late.number]
        assert "登记逾期" not in cells[on_time.number]

    def test_the_detail_shows_the_registration_due_day_and_the_flag(self, world):
        late, _, on_time, _ = self.late_and_on_time(world)
        client = logged_in(world.users["handler"])
        calendar = load_calendar()
        for application, flagged in [(late, True), (on_time, False)]:
            html = client.get(f"/staff/cases/{application.pk}/").content.decode()
            cell = re.search(r'<dd id="registration-due">(.*?)</dd>', html).group(1)
            due = calendar.add_working_days(application.received_on, 2)
            assert f"{due.year}年{due.month}月{due.day}日" in cell
            assert ("登记逾期" in cell) is flagged

    def test_the_period_is_configurable(self, world, settings):
        settings.GONGKAI_REGISTRATION_WORKING_DAYS = 10
        client, response = register_through_page(world, received_on=working_days_ago(5).isoformat())
        html = client.get(response["Location"]).content.decode()
        assert "登记超过规定期限" not in html
        cell = re.search(r'<dd id="registration-due">(.*?)</dd>',
                         client.get(f"/staff/cases/{Application.objects.get().pk}/").content.decode()).group(1)
        assert "10 个工作日" in cell and "登记逾期" not in cell

    def test_an_online_application_is_never_flagged(self, world):
        online = application_register(
            agency=world.street, acting_user=world.users["intake"], applicant_type="natural_person",
            applicant_name="网上申请人", channel="online", received_on=working_days_ago(5)).application
        client = logged_in(world.users["handler"])
        html = client.get("/staff/cases/").content.decode()
        cells = dict(re.findall(r'<td><a href="/staff/cases/\d+/">([^<]+)</a>(.*?)</td>', html))
        assert online.number in cells and "登记逾期" not in cells[online.number]
        detail = client.get(f"/staff/cases/{online.pk}/").content.decode()
        assert "网上申请，系统收到当日即登记" in detail and "登记逾期" not in detail

    def test_the_flag_is_derived_not_stored(self, world):
        self.late_and_on_time(world)
        names = {field.name for field in Application._meta.fields}
        assert not any("late" in name or "registration_due" in name for name in names)


def test_the_public_result_page_never_shows_a_staff_registered_application(world):
    client, _ = register_through_page(world)
    token = PublicSubmission.objects.get().token
    public = Client().get(f"/shenqing/done/{token}/")
    assert public.status_code == 302 and public.url == "/shenqing/"
