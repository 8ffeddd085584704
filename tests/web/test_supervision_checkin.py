"""周打卡: the office's items and deadline, a unit's answers with evidence, late and missing check-ins."""

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from tests.web.factories import AgencyFactory, MembershipFactory, UserFactory

from gongkai.web.agencies.models import Membership
from gongkai.web.disclosure.models import Article20Item, Genre
from gongkai.web.disclosure.services import publication_create
from gongkai.web.supervision.models import Checkin, CheckinItem, RosterUnit
from gongkai.web.supervision.selectors import unit_agencies, week_start_of, week_statuses
from gongkai.web.supervision.services import (
    AnswerInput,
    checkin_deadline_set,
    checkin_item_add,
    checkin_item_set_active,
    checkin_submit,
)

MONDAY = date(2026, 9, 14)  # the week of the tests' fixed day, Tuesday 2026-09-15 10:00


@pytest.fixture
def items(world):
    updated = checkin_item_add(office=world.district, acting_user=world.supervisor, text="本周是否更新专栏",
                               kind=CheckinItem.Kind.YES_NO)
    evidence = checkin_item_add(office=world.district, acting_user=world.supervisor, text="本周完成的政策解读",
                                kind=CheckinItem.Kind.EVIDENCE)
    return updated, evidence


def publication_of(world, agency, title="低保通知"):
    handler = world.users["handler"]
    if agency != world.street:
        handler = MembershipFactory(user=UserFactory(username="west_handler"), agency=agency,
                                    role=Membership.Role.HANDLER).user
    return publication_create(agency=agency, acting_user=handler, title=title, genre=Genre.NORMATIVE_DOCUMENT,
                              article20_item=Article20Item.REGULATIONS, formed_on=date(2026, 9, 1), body="正文")


def answer_all(world, items, *, user=None, agency=None, publication_ids=()):
    updated, evidence = items
    return checkin_submit(office=world.district, agency=agency or world.street,
                          acting_user=user or world.users["agency_admin"],
                          answers=[AnswerInput(updated, answer=True),
                                   AnswerInput(evidence, note="解读了低保通知", publication_ids=publication_ids)])


def test_a_unit_answers_its_week_on_time_with_its_own_publication_as_evidence(world, items):
    publication = publication_of(world, world.street)
    checkin = answer_all(world, items, publication_ids=(publication.pk,))
    assert checkin.week_start == MONDAY and not checkin.is_late
    assert checkin.due_at == timezone.make_aware(timezone.datetime(2026, 9, 18, 17, 0))  # Friday 17:00 by default
    answers = list(checkin.answers.all())
    assert [(a.item_text, a.answer) for a in answers] == [("本周是否更新专栏", True), ("本周完成的政策解读", None)]
    assert list(answers[1].publications.all()) == [publication]


def test_another_agency_s_record_is_no_evidence(world, items):
    theirs = publication_of(world, world.other_street, "西街道通知")
    with pytest.raises(ValidationError) as caught:
        answer_all(world, items, publication_ids=(theirs.pk,))
    assert "不是本单位的记录" in str(caught.value)
    assert not Checkin.objects.exists()


def test_every_yes_no_item_is_answered_and_an_evidence_item_needs_evidence(world, items):
    updated, evidence = items
    with pytest.raises(ValidationError) as caught:
        checkin_submit(office=world.district, agency=world.street, acting_user=world.users["agency_admin"],
                       answers=[AnswerInput(evidence)])
    assert set(caught.value.message_dict) == {f"item_{updated.pk}", f"item_{evidence.pk}"}
    assert "佐证" in caught.value.message_dict[f"item_{evidence.pk}"][0]


def test_a_week_is_answered_once(world, items):
    answer_all(world, items)
    with pytest.raises(ValidationError, match="本周已报送"):
        answer_all(world, items)
    assert Checkin.objects.count() == 1


def test_only_the_unit_s_liaison_or_admin_answers_never_a_supervisor(world, items):
    for user in (world.supervisor, world.users["handler"], world.other_intake):
        with pytest.raises(PermissionDenied):
            answer_all(world, items, user=user)
    RosterUnit.objects.create(office=world.district, agency=world.street, name=world.street.full_name,
                              liaison_user=world.users["handler"])
    assert answer_all(world, items, user=world.users["handler"]).submitted_by == world.users["handler"]


def test_a_check_in_after_the_deadline_is_late_and_a_unit_without_one_is_missing(world, items):
    checkin_deadline_set(office=world.district, acting_user=world.supervisor, weekday=0, due_time=time(9, 0))
    checkin = answer_all(world, items)  # Tuesday 10:00, after Monday 09:00
    assert checkin.is_late
    states = {s.agency: s.state for s in week_statuses(world.district, MONDAY)}
    assert states == {world.street: "late", world.other_street: "missing"}


def test_before_the_deadline_a_unit_without_a_check_in_is_pending_not_missing(world, items):
    answer_all(world, items)
    states = {s.agency: s.state for s in week_statuses(world.district, MONDAY)}
    assert states == {world.street: "on_time", world.other_street: "pending"}


def test_a_stopped_item_is_not_asked_and_an_answer_keeps_the_text_it_was_asked_with(world, items):
    updated, evidence = items
    checkin_item_set_active(item=evidence, acting_user=world.supervisor, active=False)
    checkin = checkin_submit(office=world.district, agency=world.street, acting_user=world.users["agency_admin"],
                             answers=[AnswerInput(updated, answer=False)])
    CheckinItem.objects.filter(pk=updated.pk).update(text="本周是否更新公开专栏")
    assert [a.item_text for a in checkin.answers.all()] == ["本周是否更新专栏"]


def test_only_the_office_s_supervisor_sets_items_and_deadline(world):
    with pytest.raises(PermissionDenied):
        checkin_item_add(office=world.district, acting_user=world.users["agency_admin"], text="x", kind="yes_no")
    with pytest.raises(PermissionDenied):
        checkin_deadline_set(office=world.district, acting_user=world.users["agency_admin"], weekday=1,
                             due_time=time(9))


def test_an_office_without_items_asks_for_no_check_in(world):
    with pytest.raises(PermissionDenied):
        checkin_submit(office=world.district, agency=world.street, acting_user=world.users["agency_admin"], answers=[])


# ---------------------------------------------------------------- pages


def test_the_office_page_counts_what_a_plain_query_counts(world, items):
    checkin_deadline_set(office=world.district, acting_user=world.supervisor, weekday=0, due_time=time(9, 0))
    answer_all(world, items)
    client = Client()
    client.force_login(world.supervisor)
    body = client.get(reverse("supervision:office_checkins"), {"week": "2026-09-16"}).content.decode()
    week = Checkin.objects.filter(office=world.district, week_start=MONDAY)
    on_time = week.filter(submitted_at__lte=F("due_at")).count()
    late = week.filter(submitted_at__gt=F("due_at")).count()
    missing = unit_agencies(world.district).exclude(checkins__in=week).count()
    assert (on_time, late, missing) == (0, 1, 1)
    assert f'<span id="count-on-time">{on_time}</span>' in body
    assert f'<span id="count-late">{late}</span>' in body
    assert f'<span id="count-missing">{missing}</span>' in body
    assert "逾期报送" in body and "2026年9月14日起一周" in body


def test_the_office_defines_items_and_deadline_through_its_page(world):
    client = Client()
    client.force_login(world.supervisor)
    client.post(reverse("supervision:item_add"), {"office": world.district.pk, "text": "是否有新增依申请",
                                                  "kind": "evidence"})
    client.post(reverse("supervision:deadline_set"), {"office": world.district.pk, "weekday": "3",
                                                      "due_time": "12:30"})
    item = CheckinItem.objects.get(office=world.district)
    assert (item.text, item.kind) == ("是否有新增依申请", "evidence")
    body = client.get(reverse("supervision:office_checkins")).content.decode()
    assert "截止时间 2026-09-17 12:30" in body
    response = client.post(reverse("supervision:deadline_set"), {"office": world.district.pk, "weekday": "9",
                                                                 "due_time": "25:00"}, follow=True)
    assert "截止日无效" in response.content.decode()
    unit = Client()
    unit.force_login(world.users["agency_admin"])
    assert unit.post(reverse("supervision:item_add"), {"text": "x", "kind": "yes_no"}).status_code == 403
    other_office = AgencyFactory(full_name="别区人民政府")
    MembershipFactory(user=world.supervisor, agency=other_office, role=Membership.Role.SUPERVISOR)
    # An office the user does not supervise, named in a change, is refused rather than replaced by another.
    stranger = AgencyFactory(full_name="第三区人民政府")
    refused = client.post(reverse("supervision:item_add"), {"office": stranger.pk, "text": "x", "kind": "yes_no"})
    assert refused.status_code == 403 and CheckinItem.objects.count() == 1


def test_a_unit_answers_through_its_page_and_sees_its_history(world, items):
    updated, evidence = items
    mine = publication_of(world, world.street)
    theirs = publication_of(world, world.other_street, "西街道通知")
    client = Client()
    client.force_login(world.users["agency_admin"])
    page = client.get(reverse("supervision:my_checkins"))
    assert "本周是否更新专栏" in page.content.decode() and "西街道通知" not in page.content.decode()
    prefix = f"u{world.street.pk}o{world.district.pk}"
    form = {"unit": world.street.pk, "office": world.district.pk, f"{prefix}-item_{updated.pk}": "yes",
            f"{prefix}-item_{evidence.pk}_publications": [theirs.pk]}
    refused = client.post(reverse("supervision:my_checkins"), form)
    assert refused.status_code == 400 and "不是本单位的主动公开记录" in refused.content.decode()
    form[f"{prefix}-item_{evidence.pk}_publications"] = [mine.pk]
    done = client.post(reverse("supervision:my_checkins"), form, follow=True)
    assert "已报送" in done.content.decode()
    checkin = Checkin.objects.get()
    assert list(checkin.answers.get(item=evidence).publications.all()) == [mine]
    detail = client.get(reverse("supervision:checkin_detail", args=[checkin.pk])).content.decode()
    assert "低保通知" in detail and "按时报送" in detail
    history = client.get(reverse("supervision:my_checkins")).content.decode()
    assert reverse("supervision:checkin_detail", args=[checkin.pk]) in history
    again = client.post(reverse("supervision:my_checkins"), form, follow=True).content.decode()
    assert "本周已报送过周打卡" in again and Checkin.objects.count() == 1


def test_a_unit_sees_only_its_own_check_ins_and_the_office_its_subtree(world, items):
    checkin = answer_all(world, items)
    url = reverse("supervision:checkin_detail", args=[checkin.pk])
    client = Client()
    client.force_login(world.other_intake)
    assert client.get(url).status_code == 404
    assert client.get(reverse("supervision:roster")).url == reverse("supervision:my_checkins")
    assert client.get(reverse("supervision:office_checkins")).status_code == 403
    client.force_login(world.supervisor)
    assert client.get(url).status_code == 200
    # The supervisor answers for no unit: posting a unit's form is refused.
    response = client.post(reverse("supervision:my_checkins"), {"unit": world.other_street.pk,
                                                                "office": world.district.pk})
    assert response.status_code == 403
    assert Checkin.objects.count() == 1


def test_the_week_filter_takes_any_day_and_ignores_nonsense(world, items):
    client = Client()
    client.force_login(world.supervisor)
    for typed in ("2026-09-20", "abc", "99999999999999999999", "²"):
        response = client.get(reverse("supervision:office_checkins"), {"week": typed, "office": typed})
        assert response.status_code == 200
    assert week_start_of(date(2026, 9, 20)) == MONDAY and MONDAY + timedelta(days=6) == date(2026, 9, 20)
