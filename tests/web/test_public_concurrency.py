"""Simultaneous public submissions: one application per form token, never a duplicate number."""

import pytest
from tests.web.threads import run_in_threads

from gongkai.web.cases.models import Application
from gongkai.web.public.models import PublicSubmission
from gongkai.web.public.services import online_application_submit

pytestmark = pytest.mark.django_db(transaction=True)


def submit(agency, token):
    return online_application_submit(
        token=token, agency=agency, applicant_type="natural_person", applicant_name="李四",
        applicant_id_number="110101199001011234", applicant_phone="13912345678", information_sought="某文件",
        delivery_form="当面领取")


@pytest.fixture
def agency():
    from tests.web.factories import AgencyFactory

    return AgencyFactory()


def test_the_same_form_submitted_at_once_registers_one_application(agency):
    results = run_in_threads(6, lambda n: submit(agency, "same-token"))
    assert Application.objects.count() == 1 == PublicSubmission.objects.count()
    assert {r.application.pk for r in results} == {Application.objects.get().pk}
    # the same form each time: every response shows the one code (whichever of them reaches the browser)
    assert len({r.query_code for r in results}) == 1 and results[0].query_code


def test_many_forms_submitted_at_once_get_distinct_numbers(agency):
    results = run_in_threads(8, lambda n: [submit(agency, f"token-{n}-{i}") for i in range(5)])
    numbers = [s.application.number for batch in results for s in batch]
    assert len(numbers) == 40 == len(set(numbers)) == Application.objects.count()
