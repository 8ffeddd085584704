"""The public application form and progress query: validation, CSRF, once-only code, no enumeration, throttling."""

import re
from datetime import date

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from gongkai.web.cases import services as s
from gongkai.web.cases.models import Application, ApplicationEvent
from gongkai.web.public.forms import new_form_token
from gongkai.web.public.models import PublicSubmission
from gongkai.web.public.throttle import MAX_FAILURES

APPLY = "/shenqing/"
PROGRESS = "/shenqing/progress/"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def form_data(world, **overrides):
    data = {
        "agency": world.street.pk, "applicant_type": "natural_person", "applicant_name": "李四",
        "applicant_id_number": "11010119900101123x", "applicant_phone": "010-12345678",
        "applicant_address": "北京市东城区某街道1号", "applicant_email": "li@example.cn",
        "information_sought": "2024年某路段拆迁补偿方案", "purpose": "了解补偿标准", "delivery_form": "电子邮件",
        "form_token": new_form_token(),
    }
    data.update(overrides)
    return data


def submit(client, data):
    response = client.post(APPLY, data, follow=True)
    html = response.content.decode()
    number = re.search(r'id="application-number">([^<]+)<', html)
    code = re.search(r'id="query-code">([^<]+)<', html)
    return response, number and number.group(1), code and code.group(1)


class TestApplicationForm:
    def test_it_lists_the_six_applicant_kinds_and_the_agencies(self, world, client):
        html = client.get(APPLY).content.decode()
        for label in ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]:
            assert label in html
        assert "测试区东街道办事处" in html
        assert 'name="csrfmiddlewaretoken"' in html

    def test_it_registers_an_online_application_and_shows_number_and_code_once(self, world, client):
        response, number, code = submit(client, form_data(world))
        assert response.status_code == 200 and number and code
        application = Application.objects.get(number=number)
        assert application.channel == Application.Channel.ONLINE
        assert application.received_on == timezone.localdate()
        assert application.applicant_id_number == "11010119900101123X"
        assert s.query_code_matches(application, code)
        assert application.public_submission.purpose == "了解补偿标准"
        assert ApplicationEvent.objects.get(application=application).action == "register"
        again = client.get(response.redirect_chain[-1][0]).content.decode()
        assert number in again and code not in again

    def test_a_double_submit_registers_one_application(self, world, client):
        data = form_data(world)
        _, first_number, first_code = submit(client, data)
        _, second_number, second_code = submit(client, data)
        assert first_number == second_number
        assert first_code and second_code == first_code  # the same form again: the same result page
        assert Application.objects.count() == 1 == PublicSubmission.objects.count()

    def test_a_double_submit_before_the_first_result_was_shown_still_shows_the_code(self, world, client):
        data = form_data(world)
        client.post(APPLY, data)  # the browser dropped this response
        _, number, code = submit(client, data)
        assert number and code
        assert Application.objects.count() == 1

    @pytest.mark.parametrize(("field", "value", "message"), [
        ("applicant_name", "", "请填写姓名或名称"),
        ("applicant_id_number", "12345", "公民身份号码应为 18 位"),
        ("applicant_phone", "abc", "联系电话格式不正确"),
        ("information_sought", "", "请填写所需政府信息的描述"),
        ("agency", "", "请选择受理机构"),
        ("applicant_type", "alien", "所选申请人类型无效"),
        ("applicant_email", "", "选择电子邮件方式时请填写电子邮箱"),
        ("form_token", "forged", "表单已失效"),
    ])
    def test_it_refuses_bad_input_with_a_chinese_message(self, world, client, field, value, message):
        response = client.post(APPLY, form_data(world, **{field: value}))
        assert response.status_code == 400
        assert message in response.content.decode()
        assert not Application.objects.exists()

    def test_an_organisation_needs_a_credit_code_and_mail_needs_an_address(self, world, client):
        response = client.post(APPLY, form_data(world, applicant_type="commercial", delivery_form="纸质（邮寄）",
                                                applicant_address="", applicant_id_number="ABC-1"))
        html = response.content.decode()
        assert "统一社会信用代码应为 18 位" in html and "选择邮寄方式时请填写通信地址" in html
        _, number, _ = submit(client, form_data(world, applicant_type="commercial",
                                                applicant_id_number="91110101MA01ABCD19"))
        assert Application.objects.get(number=number).applicant_type == "commercial"

    def test_it_requires_the_csrf_token(self, world):
        client = Client(enforce_csrf_checks=True)
        assert client.post(APPLY, form_data(world)).status_code == 403
        assert not Application.objects.exists()

    def test_the_online_intake_user_cannot_log_in_or_see_cases(self, world, client):
        submit(client, form_data(world))
        from django.contrib.auth import authenticate
        from django.contrib.auth.models import User

        from gongkai.web.cases.selectors import cases_visible_to
        user = User.objects.get(username="online-intake")
        assert not user.has_usable_password()
        assert authenticate(username="online-intake", password="") is None
        assert not cases_visible_to(user).exists()
        assert not user.has_perm("cases.register_application", world.street)  # only through the proxy


class TestProgressQuery:
    def ask(self, client, number, code, **extra):
        return client.post(PROGRESS, {"number": number, "query_code": code}, **extra)

    def test_it_shows_state_dates_and_nothing_else_before_the_answer(self, world, client):
        registration = world.register(received_on=date(2024, 9, 27))
        html = self.ask(client, registration.application.number, registration.query_code).content.decode()
        assert "登记" in html and "2024年9月27日" in html
        assert "张三" not in html and "拆迁" not in html
        assert 'id="progress-outcome"' not in html

    def test_it_shows_the_outcome_label_once_answered(self, world, client):
        registration = world.register(received_on=date(2024, 9, 27))
        u, application = world.users, registration.application
        application = s.application_start_review(application=application, acting_user=u["intake"])
        application = s.application_accept(application=application, acting_user=u["handler"])
        application = s.application_draft_reply(application=application, acting_user=u["handler"],
                                                outcome="partially_granted", withheld_reason="涉及个人隐私的部分不予公开")
        application = s.application_approve_review(application=application, acting_user=u["reviewer"])
        application = s.application_sign(application=application, acting_user=u["signer"])
        s.application_deliver(application=application, acting_user=u["intake"], on=date(2024, 10, 20))
        html = self.ask(client, registration.application.number, registration.query_code.lower()).content.decode()
        assert '<dd id="progress-outcome">部分公开</dd>' in html
        assert "个人隐私" not in html  # the withheld-part note is for the answer letter, not the query

    def test_a_wrong_code_reads_exactly_like_an_unknown_number(self, world, client):
        registration = world.register()
        wrong_code = self.ask(client, registration.application.number, "WRONGCOD")
        unknown = self.ask(client, "GK999-2024-00001", "WRONGCOD")
        assert wrong_code.status_code == unknown.status_code == 200
        def strip(response):
            html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
            return html.replace(registration.application.number, "X").replace("GK999-2024-00001", "X")

        assert strip(wrong_code) == strip(unknown)
        assert "申请编号或查询码不正确" in strip(unknown)

    def test_repeated_wrong_tries_are_throttled_even_with_the_right_code(self, world, client):
        registration = world.register()
        number = registration.application.number
        for _ in range(MAX_FAILURES):
            assert self.ask(client, number, "WRONGCOD").status_code == 200
        response = self.ask(client, number, registration.query_code)
        assert response.status_code == 429
        assert "查询失败次数过多" in response.content.decode()

    def test_throttling_is_per_number_too_across_addresses(self, world, client):
        registration = world.register()
        number = registration.application.number
        for n in range(MAX_FAILURES):
            self.ask(client, number, "WRONGCOD", REMOTE_ADDR=f"10.0.0.{n}")
        assert self.ask(client, number, registration.query_code, REMOTE_ADDR="10.0.1.1").status_code == 429

    def test_it_requires_the_csrf_token(self, world):
        registration = world.register()
        client = Client(enforce_csrf_checks=True)
        assert self.ask(client, registration.application.number, registration.query_code).status_code == 403
