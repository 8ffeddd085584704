"""Application numbers never repeat, even when many registrations run at once."""

from datetime import date

import pytest
from tests.web.threads import run_in_threads

from gongkai.web.cases.models import Application, ApplicationNumberCounter
from gongkai.web.cases.services import application_register

THREADS, EACH = 8, 5


@pytest.mark.django_db(transaction=True)
def test_numbers_are_unique_under_concurrent_registration(world):
    # PostgreSQL runs the threads truly in parallel on the locked counter row; SQLite takes one
    # writer at a time (BEGIN IMMEDIATE), the others wait their turn.
    def register_some(_):
        for _ in range(EACH):
            application_register(agency=world.street, acting_user=world.users["intake"],
                                 applicant_type="natural_person", applicant_name="并发申请人", channel="online",
                                 received_on=date(2024, 9, 27))

    run_in_threads(THREADS, register_some)
    numbers = sorted(Application.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == THREADS * EACH
    assert numbers[-1].endswith(f"-2024-{THREADS * EACH:05d}")
    assert ApplicationNumberCounter.objects.get(agency=world.street, year=2024).last_number == THREADS * EACH


def test_each_year_and_agency_counts_from_one(world):
    first = world.register(received_on=date(2023, 12, 29)).application
    second = world.register(received_on=date(2024, 1, 2)).application
    west = world.register(agency=world.other_street, user=world.other_intake).application
    assert first.number.endswith("-2023-00001")
    assert second.number.endswith("-2024-00001")
    assert west.number.endswith("-2024-00001") and west.number != second.number
