"""Each statutory step: allowed from its state by its role, refused otherwise, logged, kept in history."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.web.cases import services as s
from gongkai.web.cases.models import Application

State = Application.State


def walk_to_signed(world, application):
    u = world.users
    application = s.application_start_review(application=application, acting_user=u["intake"])
    application = s.application_accept(application=application, acting_user=u["handler"])
    application = s.application_draft_reply(application=application, acting_user=u["handler"], outcome="granted")
    application = s.application_approve_review(application=application, acting_user=u["reviewer"])
    return s.application_sign(application=application, acting_user=u["signer"])


class TestApplicationRegister:
    def test_it_gives_a_number_a_query_code_and_an_event(self, world):
        registration = world.register()
        application = registration.application
        assert application.state == State.REGISTERED
        assert application.number.endswith("-2024-00001")
        assert s.query_code_matches(application, registration.query_code)
        assert not s.query_code_matches(application, "WRONGCOD")
        assert list(application.events.values_list("action", flat=True)) == ["register"]
        assert application.history.count() == 1

    def test_it_refuses_a_user_without_the_intake_role(self, world):
        with pytest.raises(PermissionDenied):
            world.register(user=world.users["handler"])

    def test_it_refuses_intake_staff_of_another_street(self, world):
        with pytest.raises(PermissionDenied):
            world.register(user=world.other_intake)

    def test_it_refuses_the_supervisor_of_the_district(self, world):
        with pytest.raises(PermissionDenied):
            world.register(user=world.supervisor)

    def test_it_refuses_a_receipt_date_in_the_future(self, world):
        with pytest.raises(ValidationError):
            world.register(received_on=date(2999, 1, 1))


class TestApplicationFullPath:
    def test_it_goes_through_every_statutory_step(self, world):
        u = world.users
        application = world.register().application
        application = s.application_start_review(application=application, acting_user=u["intake"])
        application = s.application_request_correction(application=application, acting_user=u["handler"],
                                                       requested_on=date(2024, 9, 29))
        assert application.state == State.AWAITING_CORRECTION
        application = s.application_receive_correction(application=application, acting_user=u["intake"],
                                                       received_on=date(2024, 10, 10))
        application = s.application_accept(application=application, acting_user=u["handler"])
        application = s.application_start_consultation(application=application, acting_user=u["handler"],
                                                       party="第三方某公司", start_on=date(2024, 10, 14))
        assert application.state == State.CONSULTING
        application = s.application_end_consultation(application=application, acting_user=u["handler"],
                                                     end_on=date(2024, 10, 16))
        application = s.application_request_extension(application=application, acting_user=u["handler"], days=5,
                                                      reason="需要调取档案")
        application = s.application_approve_extension(application=application, acting_user=u["signer"],
                                                      approved_on=date(2024, 10, 20))
        application = s.application_draft_reply(application=application, acting_user=u["handler"],
                                                outcome="partially_granted", withheld_reason="涉及个人隐私的部分不予公开")
        application = s.application_return_for_rework(application=application, acting_user=u["reviewer"],
                                                      reason="理由不充分")
        assert application.state == State.HANDLING
        application = s.application_draft_reply(application=application, acting_user=u["handler"],
                                                outcome="partially_granted",
                                                withheld_reason="涉及个人隐私的部分不予公开（第十五条）")
        application = s.application_approve_review(application=application, acting_user=u["reviewer"])
        application = s.application_sign(application=application, acting_user=u["signer"])
        application = s.application_deliver(application=application, acting_user=u["intake"], on=date(2024, 11, 8))
        application = s.application_archive(application=application, acting_user=u["agency_admin"])
        assert application.state == State.ARCHIVED
        assert application.closed_on == date(2024, 11, 8)
        assert application.outcome == "partially_granted"
        assert application.events.count() == 16
        # due: 20 working days from the 补正 (10-10), 3 consultation days skipped, 5 extension days added
        assert application.reply_deadline().due == date(2024, 11, 18)
        assert not application.is_overdue(date(2024, 12, 31))

    def test_it_closes_an_abandoned_application_with_the_official_outcome(self, world):
        u = world.users
        application = world.register().application
        application = s.application_start_review(application=application, acting_user=u["handler"])
        application = s.application_request_correction(application=application, acting_user=u["handler"],
                                                       requested_on=date(2024, 9, 30))
        application = s.application_abandon(application=application, acting_user=u["handler"], on=date(2024, 11, 1))
        assert (application.state, application.outcome, application.closed_on) == (
            State.ABANDONED, "other.no_correction", date(2024, 11, 1))
        s.application_archive(application=application, acting_user=u["intake"])


class TestRefusedTransition:
    @pytest.mark.parametrize("step, role, kwargs", [
        ("application_accept", "handler", {}),
        ("application_sign", "signer", {}),
        ("application_approve_review", "reviewer", {}),
        ("application_deliver", "intake", {"on": date(2024, 10, 9)}),
        ("application_archive", "intake", {}),
        ("application_abandon", "intake", {"on": date(2024, 10, 9)}),
        ("application_receive_correction", "intake", {"received_on": date(2024, 10, 9)}),
        ("application_end_consultation", "handler", {"end_on": date(2024, 10, 9)}),
    ])
    def test_it_refuses_a_step_from_the_registered_state(self, world, step, role, kwargs):
        application = world.register().application
        with pytest.raises(ValidationError, match="当前处于「登记」环节"):
            getattr(s, step)(application=application, acting_user=world.users[role], **kwargs)
        application.refresh_from_db()
        assert application.state == State.REGISTERED
        assert application.events.count() == 1

    @pytest.mark.parametrize("step, wrong_role", [
        ("application_approve_review", "handler"),
        ("application_approve_review", "signer"),
    ])
    def test_it_refuses_review_by_the_wrong_role(self, world, step, wrong_role):
        u = world.users
        application = world.register().application
        application = s.application_start_review(application=application, acting_user=u["intake"])
        application = s.application_accept(application=application, acting_user=u["handler"])
        application = s.application_draft_reply(application=application, acting_user=u["handler"], outcome="granted")
        with pytest.raises(PermissionDenied):
            getattr(s, step)(application=application, acting_user=u[wrong_role])

    def test_it_refuses_signing_by_a_reviewer_and_delivery_by_a_signer(self, world):
        application = walk_to_signed(world, world.register().application)
        with pytest.raises(PermissionDenied):
            s.application_deliver(application=application, acting_user=world.users["signer"], on=date(2024, 10, 20))
        s.application_deliver(application=application, acting_user=world.users["handler"], on=date(2024, 10, 20))

    def test_it_refuses_steps_by_staff_of_another_agency(self, world):
        application = world.register().application
        with pytest.raises(PermissionDenied):
            s.application_start_review(application=application, acting_user=world.other_intake)

    def test_it_refuses_an_outcome_outside_the_taxonomy(self, world):
        u = world.users
        application = world.register().application
        application = s.application_start_review(application=application, acting_user=u["intake"])
        application = s.application_accept(application=application, acting_user=u["handler"])
        with pytest.raises(ValidationError, match="不在年度报告表三的分类中"):
            s.application_draft_reply(application=application, acting_user=u["handler"], outcome="approved")
        with pytest.raises(ValidationError, match="部分公开须说明"):
            s.application_draft_reply(application=application, acting_user=u["handler"], outcome="partially_granted")

    def test_it_refuses_extension_approval_by_the_handler_and_a_second_extension(self, world):
        u = world.users
        application = world.register().application
        application = s.application_request_extension(application=application, acting_user=u["handler"], days=20,
                                                      reason="数量较大")
        with pytest.raises(PermissionDenied):
            s.application_approve_extension(application=application, acting_user=u["handler"],
                                            approved_on=date(2024, 10, 20))
        application = s.application_approve_extension(application=application, acting_user=u["signer"],
                                                      approved_on=date(2024, 10, 20))
        with pytest.raises(ValidationError, match="只允许延长一次"):
            s.application_request_extension(application=application, acting_user=u["handler"], days=3, reason="再延")
        with pytest.raises(ValidationError):
            s.application_request_extension(application=world.register().application, acting_user=u["handler"],
                                            days=21, reason="太长")

    def test_it_refuses_an_extension_of_a_closed_application(self, world):
        application = walk_to_signed(world, world.register().application)
        application = s.application_deliver(application=application, acting_user=world.users["intake"],
                                            on=date(2024, 10, 20))
        with pytest.raises(ValidationError, match="已办结"):
            s.application_request_extension(application=application, acting_user=world.users["handler"], days=3,
                                            reason="晚了")


class TestStepPermissions:
    def test_it_answers_has_perm_from_the_same_role_table(self, world):
        application = world.register().application
        assert world.users["signer"].has_perm("cases.sign_application", application)
        assert not world.users["handler"].has_perm("cases.sign_application", application)
        assert not world.supervisor.has_perm("cases.sign_application", application)
        assert world.users["intake"].has_perm("cases.register_application", world.street)
        assert not world.other_intake.has_perm("cases.register_application", world.street)
