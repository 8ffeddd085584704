"""One rule for an applicant's personal data: unmasked only for those handling the case, only when
asked for, and each such view logged — on the staff pages, in the API and in the admin."""

import re

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from tests.web.admin_estate import CLEAR_VALUES, CORRECTED, admin_record_urls, admin_viewer, build_estate

from gongkai.web.staff.models import PersonalDataAccess


@pytest.fixture
def estate(world):
    return build_estate(world)


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _admin_pages(model):
    """Every admin page of every record of ``model``, and its changelist."""
    yield reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    for pk in model._default_manager.values_list("pk", flat=True):
        yield from admin_record_urls(model, pk)


@pytest.mark.slow
@pytest.mark.parametrize("who", ["supervisor", "agency_admin", "handler"])
def test_no_admin_page_shows_personal_data_in_clear(world, estate, who):
    """A supervisor and an agency admin may never see it; the handler has not asked for it."""
    user = world.supervisor if who == "supervisor" else world.users[who]
    client = _client(admin_viewer(user))
    logged = PersonalDataAccess.objects.count()
    shown, leaks = 0, []
    for model in admin.site._registry:
        for url in _admin_pages(model):
            response = client.get(url)
            if response.status_code != 200:
                continue
            shown += 1
            page = response.content.decode()
            leaks += [(url, value) for value in CLEAR_VALUES if value in page]
    assert shown > 20 and leaks == [], "\n".join(map(str, leaks))
    assert PersonalDataAccess.objects.count() == logged
    version = client.get(reverse("admin:cases_application_change", args=[estate.application.pk])).content.decode()
    assert "110***********5678" in version  # the masked value, where the clear one was


def _unmask_link(page: str) -> str | None:
    match = re.search(r'<a href="([^"]+)"[^>]*id="show-personal"', page)
    return match and match.group(1).replace("&amp;", "&")


def test_the_admin_unmasks_only_on_request_for_those_handling_the_case_and_logs_it(world, estate):
    application = estate.application
    change = reverse("admin:cases_application_change", args=[application.pk])
    for user in (world.supervisor, world.users["agency_admin"]):
        assert _unmask_link(_client(admin_viewer(user)).get(change).content.decode()) is None

    handler = world.users["handler"]
    client = _client(admin_viewer(handler))
    before = PersonalDataAccess.objects.filter(user=handler).count()
    link = _unmask_link(client.get(change).content.decode())
    assert link is not None
    assert PersonalDataAccess.objects.filter(user=handler).count() == before  # offering is not showing
    page = client.get(link).content.decode()
    assert CORRECTED["applicant_id_number"] in page and CORRECTED["applicant_phone"] in page
    assert PersonalDataAccess.objects.filter(user=handler, application=application).count() == before + 1


def test_the_api_unmasks_only_on_request_for_those_handling_the_case_and_logs_it(world, estate):
    application = estate.application
    url = f"/api/applications/{application.number}"
    handler = _client(world.users["handler"])
    before = PersonalDataAccess.objects.count()

    plain = handler.get(url).json()["applicant"]
    assert plain["masked"] is True and plain["id_number"] == "110***********5678"
    assert PersonalDataAccess.objects.count() == before

    asked = handler.get(url, {"personal": "true"}).json()["applicant"]
    assert asked["masked"] is False and asked["id_number"] == CORRECTED["applicant_id_number"]
    latest = PersonalDataAccess.objects.latest("pk")
    assert (latest.user, latest.application) == (world.users["handler"], application)
    assert PersonalDataAccess.objects.count() == before + 1

    supervisor = _client(world.supervisor).get(url, {"personal": "true"}).json()["applicant"]
    assert supervisor["masked"] is True and CORRECTED["applicant_phone"] not in str(supervisor)
    assert PersonalDataAccess.objects.count() == before + 1

    step = _client(world.users["intake"]).post(f"{url}/transitions/start_review")  # answered with the masked detail
    assert step.status_code == 200 and step.json()["applicant"]["masked"] is True
    assert CORRECTED["applicant_id_number"] not in step.content.decode()
    assert PersonalDataAccess.objects.count() == before + 1


@pytest.mark.parametrize("lookup", ["applicant_id_number__startswith", "applicant_phone", "applicant_email__contains",
                                    "applicant_address__icontains", "appeals__application__applicant_phone"])
def test_the_admin_list_cannot_be_filtered_by_personal_data(world, estate, lookup):
    """Counting matches of ``?applicant_id_number__startswith=1101…`` would reveal the number digit by digit."""
    client = _client(admin_viewer(world.supervisor))
    value = CORRECTED["applicant_id_number"][:6] if "id_number" in lookup else "1"
    response = client.get(reverse("admin:cases_application_changelist"), {lookup: value})
    assert response.status_code == 400
