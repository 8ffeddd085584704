"""The earliest reply due day is never after the real one, so the counts that skip cases by it skip none that count."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.web.cases.due_bounds import earliest_due, latest_receipt_due_by
from gongkai.workdays import load_calendar, reply_due

CALENDAR = load_calendar(use_env=False, provisional=True)  # the cases may run into a year not yet published
DAYS = st.dates(min_value=date(2020, 1, 1), max_value=date(2026, 11, 30))


@settings(max_examples=300, deadline=None)
@given(received=DAYS, correction_after=st.one_of(st.none(), st.integers(0, 40)), extension=st.integers(0, 20),
       consultation=st.one_of(st.none(), st.tuples(st.integers(0, 30), st.integers(0, 15))))
def test_no_correction_extension_or_consultation_makes_a_reply_due_before_the_earliest_day(
        received, correction_after, extension, consultation):
    correction = None if correction_after is None else received + timedelta(days=correction_after)
    periods = ()
    if consultation is not None:
        start = received + timedelta(days=consultation[0] + 1)
        periods = ((start, start + timedelta(days=consultation[1])),)
    due = reply_due(received, correction_received=correction, correction_requested=correction,
                    extension_days=extension, consultations=periods, calendar=CALENDAR).due
    assert earliest_due(received, CALENDAR) <= due
    if correction is None and not extension and not periods:
        assert earliest_due(received, CALENDAR) == due  # the bound is tight: it skips as many cases as it can


@settings(max_examples=200, deadline=None)
@given(day=st.dates(min_value=date(2020, 3, 1), max_value=date(2026, 11, 30)))
def test_cases_received_after_the_latest_receipt_cannot_be_due_by_the_day(day):
    latest = latest_receipt_due_by(day, CALENDAR)
    assert earliest_due(latest, CALENDAR) <= day
    for later in range(1, 10):
        assert earliest_due(latest + timedelta(days=later), CALENDAR) > day


def test_a_year_the_calendar_does_not_know_leaves_nothing_out():
    strict = load_calendar(use_env=False, provisional=False)
    assert earliest_due(date(2099, 6, 1), strict) is None
    assert latest_receipt_due_by(date(2099, 6, 1), strict) is None


def test_every_state_is_open_or_closed_and_none_both():
    from gongkai.web.cases.models import Application

    assert set(Application.OPEN_STATES) | set(Application.CLOSED_STATES) == set(Application.State.values)
    assert not set(Application.OPEN_STATES) & set(Application.CLOSED_STATES)
