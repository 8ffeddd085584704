"""After a crash between the commit and the response, the same form posted again shows the query code again."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from tests.web.test_public_pages import APPLY, PROGRESS, form_data, submit

from gongkai.web.cases.models import Application
from gongkai.web.cases.services import query_code_matches
from gongkai.web.public.models import PublicSubmission


def crash_after_commit(world, data):
    """The form registered, but neither the response nor the session ever reached the browser."""
    Client().post(APPLY, data)


def test_the_same_form_posted_again_after_a_crash_shows_number_and_code(world):
    data = form_data(world)
    crash_after_commit(world, data)
    _, number, code = submit(Client(), data)  # no session: the browser just posts the form again
    application = Application.objects.get()
    assert number == application.number
    assert code and query_code_matches(application, code)


def test_the_code_is_stored_sealed_and_only_for_a_while(world, settings):
    data = form_data(world)
    crash_after_commit(world, data)
    submission = PublicSubmission.objects.get()
    _, _, code = submit(Client(), data)
    assert code and code not in submission.sealed_query_code and submission.sealed_until
    assert submission.sealed_until <= timezone.now() + timedelta(minutes=settings.GONGKAI_QUERY_CODE_RESHOW_MINUTES)
    PublicSubmission.objects.update(sealed_until=timezone.now() - timedelta(seconds=1))
    _, number, late = submit(Client(), data)
    assert number and late is None


def test_the_token_alone_does_not_open_the_code(world):
    """The token is in the result page's address; posting it with other content shows no code."""
    data = form_data(world)
    crash_after_commit(world, data)
    _, number, code = submit(Client(), {**data, "applicant_name": "王五", "information_sought": "别的信息"})
    assert number and code is None
    assert Application.objects.count() == 1


def test_a_successful_progress_query_drops_the_sealed_code(world):
    data = form_data(world)
    crash_after_commit(world, data)
    _, number, code = submit(Client(), data)
    assert Client().post(PROGRESS, {"number": number, "query_code": code}).status_code == 200
    assert PublicSubmission.objects.get().sealed_query_code == ""
    assert submit(Client(), data)[2] is None


@pytest.fixture(autouse=True)
def _no_flood_limit(settings):
    settings.GONGKAI_PUBLIC_APPLICATIONS_PER_ADDRESS = 100
