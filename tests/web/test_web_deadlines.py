"""The due date is derived from stored facts with gongkai.workdays; overdue is never stored."""

from datetime import date

from gongkai.web.cases import services as s
from gongkai.web.cases.models import Application
from gongkai.web.cases.selectors import application_deadline


class TestReplyDeadline:
    def test_it_counts_across_the_national_day_holiday(self, world):
        # Received Friday 2024-09-27: 调休 Sunday 09-29 counts, 10-01..10-07 do not, Saturday 10-12 does.
        application = world.register(received_on=date(2024, 9, 27)).application
        deadline, overdue = application_deadline(application, today=date(2024, 10, 30))
        assert deadline.due == date(2024, 10, 30)
        assert not overdue
        assert application_deadline(application, today=date(2024, 10, 31))[1]
        assert "国庆" in deadline.explain()

    def test_it_moves_only_with_an_approved_extension(self, world):
        u = world.users
        application = world.register(received_on=date(2024, 9, 27)).application
        application = s.application_request_extension(application=application, acting_user=u["handler"], days=5,
                                                      reason="需要协调")
        assert application.reply_deadline().due == date(2024, 10, 30)
        application = s.application_approve_extension(application=application, acting_user=u["signer"],
                                                      approved_on=date(2024, 10, 25))
        assert application.reply_deadline().due == date(2024, 11, 6)

    def test_it_pauses_the_clock_while_a_consultation_is_open(self, world):
        u = world.users
        application = world.register(received_on=date(2024, 9, 27)).application
        application = s.application_start_review(application=application, acting_user=u["intake"])
        application = s.application_accept(application=application, acting_user=u["handler"])
        application = s.application_start_consultation(application=application, acting_user=u["handler"],
                                                       party="区住建局", start_on=date(2024, 10, 8))
        # still open on 10-10: 10-08..10-10 are not counted so far
        assert application.reply_deadline(today=date(2024, 10, 10)).due == date(2024, 11, 4)
        application = s.application_end_consultation(application=application, acting_user=u["handler"],
                                                     end_on=date(2024, 10, 10))
        assert application.reply_deadline().due == date(2024, 11, 4)

    def test_it_judges_a_closed_application_by_its_closing_day(self, world):
        application = world.register(received_on=date(2024, 9, 27)).application
        Application.objects.filter(pk=application.pk).update(closed_on=date(2024, 10, 31), state="delivered")
        application.refresh_from_db()
        assert application.is_overdue(date(2025, 1, 1))
        assert not {f.name for f in Application._meta.fields} & {"due_on", "due_date", "overdue", "is_overdue"}


class TestLateRegistration:
    def test_it_flags_an_offline_application_registered_after_two_working_days(self, world):
        from datetime import datetime
        from zoneinfo import ZoneInfo

        application = world.register(received_on=date(2024, 9, 27)).application
        shanghai = ZoneInfo("Asia/Shanghai")
        # two working days after Friday 09-27 are 09-29 (调休 Sunday) and 09-30
        assert application.registration_due() == date(2024, 9, 30)
        application.registered_at = datetime(2024, 9, 30, 23, 0, tzinfo=shanghai)
        assert not application.is_registered_late()
        application.registered_at = datetime(2024, 10, 8, 9, 0, tzinfo=shanghai)
        assert application.is_registered_late()
