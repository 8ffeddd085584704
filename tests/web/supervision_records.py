"""Records of a supervised district for the 通报 and 考核 tests, each made as the stored outcome of its workflow
(the workflows themselves are tested elsewhere)."""

from datetime import date, datetime, timedelta

from django.utils import timezone

from gongkai.web.annual.models import AnnualReportRecord
from gongkai.web.appeals.models import Appeal
from gongkai.web.cases.models import Application
from gongkai.web.supervision.models import Checkin, CheckinItem, Finding
from gongkai.web.supervision.selectors import week_due_at


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def application(world, agency, received_on: date, closed_on: date | None = None) -> Application:
    user = world.users["intake"] if agency == world.street else world.other_intake
    case = world.register(agency=agency, user=user, received_on=received_on).application
    if closed_on is not None:
        Application.objects.filter(pk=case.pk).update(state=Application.State.DELIVERED, closed_on=closed_on)
        case.refresh_from_db()
    return case


def checkin_item(world, since: date) -> CheckinItem:
    """The office's check-in item, asked since ``since`` (its first history version dated then)."""
    item = CheckinItem.objects.create(office=world.district, text="本周是否更新专栏")
    item.history.create(id=item.pk, office=world.district, text=item.text, kind=item.kind, position=0, active=True,
                        history_date=at(since), history_type="+")
    return item


def checkin(world, agency, week: date, *, late: bool = False) -> Checkin:
    due_at = week_due_at(world.district, week)
    return Checkin.objects.create(office=world.district, agency=agency, week_start=week, due_at=due_at,
                                  submitted_at=due_at + timedelta(hours=3 if late else -3))


def finding(world, agency, *, month: date, due_on: date, state=Finding.State.ASSIGNED, replied_on: date | None = None,
            reviewed_on: date | None = None) -> Finding:
    return Finding.objects.create(office=world.district, agency=agency, month=month, kind=Finding.Check.MANUAL,
                                  description=f"问题（期限 {due_on}）", due_on=due_on, state=state,
                                  replied_at=at(replied_on) if replied_on else None,
                                  reviewed_at=at(reviewed_on) if reviewed_on else None)


def appeal(agency, *, decided_on: date | None, result: str) -> Appeal:
    return Appeal.objects.create(agency=agency, kind="review", case_number=f"复议{Appeal.objects.count() + 1}",
                                 filed_on=(decided_on or date(2026, 3, 1)) - timedelta(days=30), result=result,
                                 decided_on=decided_on)


OVERVIEW = ("本年度，本机关认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，"
            "围绕中心工作，主动公开政府信息，依法办理政府信息公开申请，不断完善政府信息公开平台建设，"
            "加强监督保障，政府信息公开工作取得了新的成效。")


def annual_report(agency, year: int, *, published_on: date | None, overview: str = OVERVIEW) -> AnnualReportRecord:
    return AnnualReportRecord.objects.create(
        agency=agency, year=year, state=AnnualReportRecord.State.PUBLISHED if published_on else "draft",
        snapshot={"sections": {"overview": overview, "problems": "无。", "other": "无。"}},
        published_at=at(published_on) if published_on else None)
