"""Simultaneous state changes on the same applications, on SQLite and on PostgreSQL: one change wins,
the others are refused by the same checks as when they come one by one, and the trail of events
is never doubled or broken."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from tests.web.threads import run_in_threads

from gongkai.web.cases import services as s
from gongkai.web.cases.models import Application, ApplicationEvent, Consultation

pytestmark = pytest.mark.django_db(transaction=True)


def attempt(step) -> str:
    """'ok', or the message the service refused with."""
    try:
        step()
    except (ValidationError, PermissionDenied) as error:
        return "; ".join(getattr(error, "messages", [str(error)]))
    return "ok"


def fresh(pk: int) -> Application:
    return Application.objects.get(pk=pk)  # each thread starts from its own read, as a request would


def handling(world) -> Application:
    u = world.users
    a = world.register(received_on=date(2024, 3, 1)).application
    a = s.application_start_review(application=a, acting_user=u["intake"])
    return s.application_accept(application=a, acting_user=u["handler"])


def reviewed(world) -> Application:
    u = world.users
    a = s.application_draft_reply(application=handling(world), acting_user=u["handler"], outcome="granted")
    return s.application_approve_review(application=a, acting_user=u["reviewer"])


def assert_trail_unbroken(application: Application) -> None:
    """Each event starts in the state the previous one ended in, and the last ends in the stored state."""
    events = list(ApplicationEvent.objects.filter(application=application).order_by("at", "pk"))
    for before, after in zip(events, events[1:], strict=False):
        assert after.from_state == before.to_state, (before.action, after.action)
    assert events[-1].to_state == Application.objects.get(pk=application.pk).state


def test_four_signers_at_once_sign_once(world):
    pk = reviewed(world).pk
    results = run_in_threads(4, lambda n: attempt(
        lambda: s.application_sign(application=fresh(pk), acting_user=world.users["signer"])))
    assert results.count("ok") == 1
    assert all("当前处于「签发」环节，不能签发" in r for r in results if r != "ok")
    assert ApplicationEvent.objects.filter(application_id=pk, action="sign").count() == 1
    assert fresh(pk).state == Application.State.SIGNED
    assert_trail_unbroken(fresh(pk))


def test_conflicting_steps_at_once_leave_one_consistent_outcome(world):
    """拟办答复 and 征求意见 both start from 承办: whichever wins, the other is refused, not mixed in."""
    pk = handling(world).pk
    handler = world.users["handler"]
    steps = [
        lambda: s.application_draft_reply(application=fresh(pk), acting_user=handler, outcome="unable.not_held"),
        lambda: s.application_start_consultation(application=fresh(pk), acting_user=handler, party="某公司",
                                                 start_on=date(2024, 3, 5)),
    ] * 3
    results = run_in_threads(len(steps), lambda n: attempt(steps[n]))
    assert results.count("ok") == 1
    application = fresh(pk)
    if application.state == Application.State.DRAFTED:
        assert application.outcome == "unable.not_held" and not Consultation.objects.filter(application_id=pk).exists()
    else:
        assert application.state == Application.State.CONSULTING and application.outcome == ""
        assert Consultation.objects.filter(application_id=pk).count() == 1
    assert_trail_unbroken(application)


def test_deliveries_at_once_close_the_case_once_with_the_winners_date(world):
    u = world.users
    pk = s.application_sign(application=reviewed(world), acting_user=u["signer"]).pk
    days = [date(2024, 3, 20 + n) for n in range(4)]
    results = run_in_threads(4, lambda n: (days[n], attempt(
        lambda: s.application_deliver(application=fresh(pk), acting_user=u["intake"], on=days[n]))))
    winners = [day for day, result in results if result == "ok"]
    assert len(winners) == 1
    assert fresh(pk).closed_on == winners[0]
    assert ApplicationEvent.objects.filter(application_id=pk, action="deliver").get().data == {"on": winners[0].isoformat()}


def test_a_user_without_the_role_is_refused_even_when_racing_one_with_it(world):
    pk = reviewed(world).pk
    users = [world.users["handler"], world.users["signer"], world.users["intake"], world.other_intake]
    results = run_in_threads(4, lambda n: (users[n].username, attempt(
        lambda: s.application_sign(application=fresh(pk), acting_user=users[n]))))
    by_user = dict(results)
    assert by_user["east_signer"] == "ok"
    for username in ("east_handler", "east_intake", "west_intake"):
        assert "才能执行此操作" in by_user[username]
    assert fresh(pk).state == Application.State.SIGNED


def test_many_cases_moved_by_many_hands_at_once_move_once_each(world):
    pks = [world.register(received_on=date(2024, 4, 1)).application.pk for _ in range(6)]
    intake = world.users["intake"]

    def take_them_all(n):
        return [attempt(lambda pk=pk: s.application_start_review(application=fresh(pk), acting_user=intake))
                for pk in (pks if n % 2 else reversed(pks))]

    results = run_in_threads(4, take_them_all)
    assert sum(r.count("ok") for r in results) == len(pks)
    for pk in pks:
        assert ApplicationEvent.objects.filter(application_id=pk, action="start_review").count() == 1
        assert fresh(pk).state == Application.State.REVIEWING
