"""信息处理费 in the case flow: the amount at the thresholds of 国办函〔2020〕109号 by count and by
pages, the notice and its payment period, payment that lets the case go on, and an unpaid
notice that closes the case as other.unpaid_fee — counted in that row of the annual report."""

import re
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from tests.web.factories import AgencyFactory, MembershipFactory

from gongkai.web.annual.build import annual_report
from gongkai.web.cases import fees
from gongkai.web.cases import services as s
from gongkai.web.cases.letters.compose import compose_letter
from gongkai.web.cases.models import Application, FeeNotice
from gongkai.workdays import load_calendar

State = Application.State
ID_NUMBER = "11010119900101123X"
ISSUED = date(2024, 3, 25)
DUE = date(2024, 4, 23)  # 20 working days after Monday 2024-03-25: 清明 (4-4 to 4-6) skipped, Sunday 4-7 worked


def register(world, *, received_on=date(2024, 3, 4), id_number=ID_NUMBER, name="张三", phone="13912345678",
             agency=None, user=None) -> Application:
    return s.application_register(
        agency=agency or world.street, acting_user=user or world.users["intake"], applicant_type="natural_person",
        applicant_name=name, channel="online", received_on=received_on, information_sought="某路段拆迁补偿方案",
        applicant_id_number=id_number, applicant_phone=phone,
    ).application


def handling(world, application: Application) -> Application:
    application = s.application_start_review(application=application, acting_user=world.users["intake"])
    return s.application_accept(application=application, acting_user=world.users["handler"])


def nth_of_month(world, n: int, **kwargs) -> Application:
    """The applicant's ``n``-th application of March 2024 (the earlier ones received on earlier days)."""
    for day in range(1, n):
        register(world, received_on=date(2024, 3, 1 + (day - 1) % 20), **kwargs)
    return register(world, received_on=date(2024, 3, 21), **kwargs)


def issue(world, application, **kwargs) -> Application:
    kwargs.setdefault("issued_on", ISSUED)
    return fees.application_issue_fee_notice(application=application, acting_user=world.users["handler"], **kwargs)


# ---------------------------------------------------------------- amounts

class TestAmountByCount:
    @pytest.mark.parametrize(("n", "amount"), [(10, 0), (11, 100), (30, 100), (31, 200), (41, 300)])
    def test_the_nth_application_of_the_month_pays_its_band(self, world, n, amount):
        application = nth_of_month(world, n)
        quote = fees.fee_quote(application, basis="per_application")
        assert (quote.first_item, quote.amount) == (n, amount)

    def test_a_split_application_pays_each_item_at_its_own_rate(self, world):
        application = nth_of_month(world, 29)
        quote = fees.fee_quote(application, basis="per_application", items=3)  # items 29, 30, 31
        assert quote.amount == 100 + 100 + 200
        assert quote.explain() == ("按件计收，本月累计第 29—31 件：第 29—30 件 × 100 元 = 200 元；"
                                   "第 31 件 × 200 元 = 200 元；合计 400 元")

    def test_only_the_same_applicant_at_the_same_agency_in_the_same_month_counts(self, world):
        for _ in range(5):
            register(world, received_on=date(2024, 2, 28))  # February
            register(world, received_on=date(2024, 3, 5), id_number="110101199001019999")  # someone else
            register(world, received_on=date(2024, 3, 5), agency=world.other_street, user=world.other_intake)
        register(world, received_on=date(2024, 3, 5), id_number=ID_NUMBER.lower() + " ")  # same number, typed loosely
        application = register(world, received_on=date(2024, 3, 6))
        register(world, received_on=date(2024, 3, 7))  # later in the month: does not change this one
        assert fees.applications_in_month_through(application) == 2

    def test_without_an_id_number_name_and_phone_identify_the_applicant(self, world):
        for _ in range(10):
            register(world, id_number="", received_on=date(2024, 3, 1))
            register(world, id_number="", phone="13800000000", received_on=date(2024, 3, 1))  # another 张三
        application = register(world, id_number="", received_on=date(2024, 3, 2))
        assert fees.fee_quote(application, basis="per_application").amount == 100  # the 11th

    def test_without_id_number_or_phone_the_count_is_refused(self, world):
        application = register(world, id_number="", phone="")
        with pytest.raises(ValidationError, match="无法认定同一申请人"):
            fees.fee_quote(application, basis="per_application")
        assert fees.fee_quote(application, basis="per_page", pages=31).amount == 10  # 按量 still works


class TestAmountByPages:
    @pytest.mark.parametrize(("pages", "amount"), [
        (30, 0), (31, 10), (100, 700), (101, 720), (200, 2700), (201, 2740)])
    def test_pages_pay_by_band(self, world, pages, amount):
        application = register(world)
        assert fees.fee_quote(application, basis="per_page", pages=pages).amount == amount

    @pytest.mark.parametrize(("kwargs", "message"), [
        ({"basis": "per_page"}, "按量计收须填写页数"),
        ({"basis": "per_page", "pages": 0}, "按量计收须填写页数"),
        ({"basis": "both"}, "计收方式「both」无效"),
        ({"basis": "per_application", "items": 0}, "本申请计件数应为 1 至 50"),
    ])
    def test_bad_inputs_are_refused(self, world, kwargs, message):
        with pytest.raises(ValidationError, match=message):
            fees.fee_quote(register(world), **kwargs)


# ---------------------------------------------------------------- the notice in the case flow

class TestFeeNotice:
    def test_a_notice_below_the_thresholds_is_refused_and_nothing_changes(self, world):
        application = handling(world, register(world))
        with pytest.raises(ValidationError, match="未超过收费标准"):
            issue(world, application, basis="per_application")
        with pytest.raises(ValidationError, match="未超过收费标准"):
            issue(world, application, basis="per_page", pages=30)
        application.refresh_from_db()
        assert application.state == State.HANDLING and not application.fee_notices.exists()

    def test_issuing_records_amount_dates_and_pauses_nothing(self, world):
        application = handling(world, nth_of_month(world, 11))
        due_before = application.reply_deadline(today=ISSUED).due
        application = issue(world, application, basis="per_application")
        notice = application.fee_notices.get()
        assert application.state == State.AWAITING_FEE
        assert (notice.basis, notice.first_item, notice.amount, notice.issued_on) == ("per_application", 11, 100, ISSUED)
        assert notice.due_on == DUE == load_calendar().add_working_days(ISSUED, fees.FEE_PAYMENT_WORKING_DAYS)
        assert notice.issued_by == world.users["handler"] and notice.is_open
        # legal-rules.md does not confirm that payment time is excluded: the reply clock runs on.
        assert application.reply_deadline(today=DUE).due == due_before
        event = application.events.last()
        assert (event.action, event.data["amount"], event.data["due_on"]) == ("issue_fee_notice", 100, "2024-04-23")

    def test_payment_lets_the_case_go_on_to_its_answer(self, world):
        u = world.users
        application = issue(world, handling(world, register(world)), basis="per_page", pages=120)
        with pytest.raises(ValidationError, match="不能拟办答复"):
            s.application_draft_reply(application=application, acting_user=u["handler"], outcome="granted")
        application = fees.application_record_fee_payment(application=application, acting_user=u["intake"],
                                                          paid_on=DUE)
        assert application.state == State.HANDLING
        assert application.fee_notices.get().paid_on == DUE
        application = s.application_draft_reply(application=application, acting_user=u["handler"], outcome="granted")
        application = s.application_approve_review(application=application, acting_user=u["reviewer"])
        application = s.application_sign(application=application, acting_user=u["signer"])
        application = s.application_deliver(application=application, acting_user=u["intake"], on=date(2024, 4, 25))
        assert (application.state, application.outcome) == (State.DELIVERED, "granted")
        assert application.fee_notices.get().amount == 700 + 20 * 20

    def test_payment_outside_the_period_or_without_a_notice_is_refused(self, world):
        u = world.users
        application = handling(world, register(world))
        with pytest.raises(ValidationError, match="不能"):
            fees.application_record_fee_payment(application=application, acting_user=u["intake"], paid_on=ISSUED)
        application = issue(world, application, basis="per_page", pages=40)
        with pytest.raises(ValidationError, match="缴费期限已于 2024-04-23 届满"):
            fees.application_record_fee_payment(application=application, acting_user=u["intake"],
                                                paid_on=date(2024, 4, 24))
        with pytest.raises(ValidationError, match="不能早于收费通知日期"):
            fees.application_record_fee_payment(application=application, acting_user=u["intake"],
                                                paid_on=date(2024, 3, 1))
        application.refresh_from_db()
        assert application.state == State.AWAITING_FEE and application.fee_notices.get().paid_on is None

    def test_only_a_handler_of_the_agency_issues_a_notice(self, world):
        application = handling(world, register(world))
        for user in (world.users["reviewer"], world.other_intake, world.supervisor):
            with pytest.raises(PermissionDenied):
                fees.application_issue_fee_notice(application=application, acting_user=user, basis="per_page",
                                                  pages=50, issued_on=ISSUED)
        assert not FeeNotice.objects.exists()

    def test_a_notice_only_while_handling(self, world):
        application = register(world)
        with pytest.raises(ValidationError, match="当前处于「登记」环节"):
            issue(world, application, basis="per_page", pages=50)
        assert not FeeNotice.objects.exists()


class TestUnpaidFee:
    def test_the_lapse_closes_the_case_as_other_unpaid_fee_and_the_annual_report_counts_it(self, world):
        u = world.users
        application = issue(world, handling(world, register(world)), basis="per_page", pages=50)
        with pytest.raises(ValidationError, match="缴费期限至 2024-04-23 尚未届满"):
            fees.application_close_unpaid_fee(application=application, acting_user=u["intake"], on=DUE)
        application = fees.application_close_unpaid_fee(application=application, acting_user=u["intake"],
                                                        on=date(2024, 4, 24))
        assert (application.state, application.outcome, application.closed_on) == (
            State.FEE_UNPAID, "other.unpaid_fee", date(2024, 4, 24))
        assert application.is_closed and application.fee_notices.get().lapsed_on == date(2024, 4, 24)
        with pytest.raises(ValidationError):
            fees.application_record_fee_payment(application=application, acting_user=u["intake"], paid_on=DUE)

        report = annual_report(world.street, 2024)
        row = report.applications["other.unpaid_fee"]
        assert row["natural_person"] == 1 and row["total"] == 1
        assert report.applications["total"]["total"] == 1
        letter = compose_letter(application, "reply")
        assert "不再处理该政府信息公开申请" in letter.text() and "第四十二条" in letter.text()
        assert letter.letter_date == date(2024, 4, 24)
        application = s.application_archive(application=application, acting_user=u["intake"])
        assert application.state == State.ARCHIVED


# ---------------------------------------------------------------- the staff page

def buttons(html: str) -> set[str]:
    return set(re.findall(r'<button type="submit" name="step" value="([a-z_]+)"', html))


class TestStaffSteps:
    def test_the_handler_issues_a_notice_and_intake_records_payment_from_the_case_page(self, world):
        application = handling(world, register(world))
        handler = Client()
        handler.force_login(world.users["handler"])
        page = f"/staff/cases/{application.pk}/"
        assert "issue_fee_notice" in buttons(handler.get(page).content.decode())
        response = handler.post(f"{page}steps/issue_fee_notice/", {
            "issue_fee_notice-basis": "per_page", "issue_fee_notice-pages": "101",
            "issue_fee_notice-items": "1", "issue_fee_notice-issued_on": "2024-03-25"}, follow=True)
        html = response.content.decode()
        assert "已完成：发出收费通知" in html and "720 元" in html and "下载收费通知书" in html
        application.refresh_from_db()
        assert application.state == State.AWAITING_FEE
        assert buttons(html) >= {"record_fee_payment"} and "close_unpaid_fee" in buttons(html)  # 2024's period is over

        intake = Client()
        intake.force_login(world.users["intake"])
        response = intake.post(f"{page}steps/record_fee_payment/", {"record_fee_payment-paid_on": "2024-04-01"},
                               follow=True)
        assert "已完成：登记已缴费" in response.content.decode()
        application.refresh_from_db()
        assert application.state == State.HANDLING

    def test_bad_form_input_is_reported_in_chinese(self, world):
        application = handling(world, register(world))
        handler = Client()
        handler.force_login(world.users["handler"])
        response = handler.post(f"/staff/cases/{application.pk}/steps/issue_fee_notice/", {
            "issue_fee_notice-basis": "per_page", "issue_fee_notice-issued_on": "2024-03-25"}, follow=True)
        assert "发出收费通知未完成：按量计收须填写页数" in response.content.decode()
        assert not FeeNotice.objects.exists()

    def test_the_lapse_step_is_offered_only_after_the_period(self, world, monkeypatch):
        application = issue(world, handling(world, register(world)), basis="per_page", pages=50)
        intake = Client()
        intake.force_login(world.users["intake"])
        page = f"/staff/cases/{application.pk}/"
        monkeypatch.setattr("gongkai.web.staff.steps.timezone.localdate", lambda: DUE)
        assert "close_unpaid_fee" not in buttons(intake.get(page).content.decode())
        monkeypatch.setattr("gongkai.web.staff.steps.timezone.localdate", lambda: date(2024, 4, 24))
        assert "close_unpaid_fee" in buttons(intake.get(page).content.decode())


def test_an_agency_without_the_fee_roles_sees_no_fee_steps(world):
    lonely = AgencyFactory(full_name="测试区南街道办事处", parent=world.district)
    intake = MembershipFactory(agency=lonely, role="intake").user
    application = register(world, agency=lonely, user=intake)
    client = Client()
    client.force_login(intake)
    assert not buttons(client.get(f"/staff/cases/{application.pk}/").content.decode()) & {
        "issue_fee_notice", "record_fee_payment", "close_unpaid_fee"}
