"""The API answers with the pages' permissions: visibility gate, masking, services' role checks."""

import json
from datetime import date

import pytest
from django.test import Client

from gongkai.web.appeals.models import Appeal
from gongkai.web.cases.models import Application


@pytest.fixture
def cases(world):
    east = world.register(received_on=date(2024, 9, 27)).application
    Application.objects.filter(pk=east.pk).update(applicant_id_number="110101199001011234",
                                                  applicant_phone="13800138000", applicant_address="北京市东城区某路1号")
    west = world.register(received_on=date(2024, 9, 27), agency=world.other_street, user=world.other_intake).application
    Appeal.objects.create(agency=world.street, application=east, kind="review", filed_on=date(2024, 11, 1))
    Appeal.objects.create(agency=world.other_street, kind="review", filed_on=date(2024, 11, 2))
    return east, west


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def numbers(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["number"] for item in response.json()}


def test_openapi_document_is_published(client, db):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content)
    paths = set(document["paths"])
    assert {"/api/applications", "/api/applications/{number}", "/api/appeals",
            "/api/agencies/{agency_id}/reports/{year}", "/api/applications/{number}/transitions/{step}"} <= paths
    assert document["openapi"].startswith("3.")
    assert client.get("/api/docs").status_code == 200


@pytest.mark.parametrize("url", ["/api/applications", "/api/appeals", "/api/agencies"])
def test_anonymous_is_refused(client, world, url):
    assert client.get(url).status_code == 401


def test_anonymous_cannot_act_or_read_reports(client, world, cases):
    east, _ = cases
    assert client.get(f"/api/applications/{east.number}").status_code == 401
    assert client.post(f"/api/applications/{east.number}/transitions/start_review").status_code == 401
    assert client.get(f"/api/agencies/{world.street.pk}/reports/2024").status_code == 401


def test_street_user_sees_only_own_agency(world, cases):
    east, west = cases
    client = client_for(world.users["handler"])
    assert numbers(client.get("/api/applications")) == {east.number}
    assert client.get(f"/api/applications/{west.number}").status_code == 404
    assert client.get(f"/api/agencies/{world.other_street.pk}/reports/2024").status_code == 404
    assert client.get(f"/api/agencies/{world.district.pk}/reports/2024").status_code == 404
    assert client.post(f"/api/applications/{west.number}/transitions/start_review").status_code == 404
    assert [a["agency_id"] for a in client.get("/api/appeals").json()] == [world.street.pk]
    report = client.get(f"/api/agencies/{world.street.pk}/reports/2024")
    assert report.status_code == 200
    data = report.json()
    assert data["agency"] == world.street.full_name and data["year"] == 2024
    assert data["applications"]["new"]["natural_person"] == 1


def test_supervisor_sees_the_subtree_masked(world, cases):
    east, west = cases
    client = client_for(world.supervisor)
    assert numbers(client.get("/api/applications")) == {east.number, west.number}
    assert len(client.get("/api/appeals").json()) == 2
    detail = client.get(f"/api/applications/{east.number}").json()
    assert detail["applicant"]["masked"] is True
    assert detail["applicant"]["id_number"] == "110***********1234"
    assert "13800138000" not in json.dumps(detail) and "某路1号" not in json.dumps(detail, ensure_ascii=False)
    for agency in (world.district, world.street, world.other_street):
        assert client.get(f"/api/agencies/{agency.pk}/reports/2024").status_code == 200
    # oversight is not handling: the service refuses the step
    response = client.post(f"/api/applications/{east.number}/transitions/start_review")
    assert response.status_code == 403 and "岗位" in response.json()["detail"]


def test_handler_sees_personal_data_and_lists_never_show_it(world, cases):
    from gongkai.web.staff.models import PersonalDataAccess

    east, _ = cases
    client = client_for(world.users["handler"])
    listing = client.get("/api/applications")
    assert "110101199001011234" not in listing.content.decode() and "applicant" not in listing.json()[0]
    assert not PersonalDataAccess.objects.exists()
    assert client.get(f"/api/applications/{east.number}").json()["applicant"]["masked"] is True  # unless asked
    assert not PersonalDataAccess.objects.exists()
    detail = client.get(f"/api/applications/{east.number}?personal=true").json()
    assert detail["applicant"]["masked"] is False
    assert detail["applicant"]["id_number"] == "110101199001011234"
    # every view of the unmasked data is recorded, the same record the staff pages write
    assert list(PersonalDataAccess.objects.values_list("user", "application")) == [(world.users["handler"].pk, east.pk)]
    assert detail["due_on"] and "答复期限" in detail["due_explanation"]


def test_transition_calls_the_service_with_its_checks(world, cases):
    east, _ = cases
    handler, intake = client_for(world.users["handler"]), client_for(world.users["intake"])
    # accept needs the 承办 role and the 审查 state
    refused = handler.post(f"/api/applications/{east.number}/transitions/accept")
    assert refused.status_code == 409 and "不能" in refused.json()["detail"]
    assert intake.post(f"/api/applications/{east.number}/transitions/start_review").json()["state"] == "reviewing"
    assert intake.post(f"/api/applications/{east.number}/transitions/accept").status_code == 403
    accepted = handler.post(f"/api/applications/{east.number}/transitions/accept")
    assert accepted.status_code == 200 and accepted.json()["state"] == "handling"
    assert east.events.filter(action="accept", acting_user=world.users["handler"]).exists()
    assert handler.post(f"/api/applications/{east.number}/transitions/deliver").status_code == 404


def test_post_needs_csrf_token(world, cases):
    east, _ = cases
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["intake"])
    assert client.post(f"/api/applications/{east.number}/transitions/start_review").status_code == 403
    east.refresh_from_db()
    assert east.state == "registered"


@pytest.mark.parametrize(("query", "field"), [
    ("offset=99999999999999999999", "offset"), ("agency_id=99999999999999999999", "agency_id"),
    ("received_year=99999999999999999999", "received_year"), ("received_year=0", "received_year")])
def test_numbers_no_database_takes_are_a_422_naming_the_field(world, cases, query, field):
    response = client_for(world.supervisor).get(f"/api/applications?{query}")
    assert response.status_code == 422
    assert [error["loc"][-1] for error in response.json()["detail"]] == [field]


def test_the_list_pages_with_limit_and_offset(world, cases):
    client = client_for(world.supervisor)
    first, second = (numbers(client.get(f"/api/applications?limit=1&offset={offset}")) for offset in (0, 1))
    assert len(first) == len(second) == 1 and first | second == {case.number for case in cases}
    assert numbers(client.get("/api/applications?offset=1000000000")) == set()
