"""Every API operation, read from the OpenAPI document, takes hand-typed numbers without a server error,
answers only with the statuses it documents, and documents its 401/403/404/409/422."""

import json
from datetime import date
from urllib.parse import quote

import pytest
from django.test import Client

from gongkai.web.annual.services import annual_report_record_create
from gongkai.web.appeals.services import appeal_register

# Numbers no column holds, nonsense, and forms ``int`` half-accepts.
HOSTILE = ["0", "-5", "99999", "9223372036854775808", "-9223372036854775809", "99999999999999999999", "abc", "²",
           "1.5", "1e3", " 7", "", "%00"]
WRITES = {"post", "put", "patch", "delete"}


@pytest.fixture
def api_world(world, django_user_model):
    application = world.register().application
    appeal = appeal_register(agency=world.street, acting_user=world.users["handler"], kind="review",
                             filed_on=date(2024, 11, 1), application=application)
    record = annual_report_record_create(agency=world.street, year=2024, acting_user=world.users["handler"])
    root = django_user_model.objects.create_superuser("api_root", password="x")
    client = Client(raise_request_exception=False)  # a server error is a 500 to list, not the end of the walk
    client.force_login(root)
    valid = {"agency_id": world.street.pk, "year": 2024, "number": application.number, "appeal_id": appeal.pk,
             "record_id": record.pk, "step": "submit", "fmt": "json", "state": "registered", "received_year": 2024,
             "limit": 10, "offset": 0, "personal": "false", "comment": "同意"}
    document = client.get("/api/openapi.json").json()
    return client, valid, document


def _operations(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def _body_fields(document, operation) -> dict:
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if not content:
        return {}
    schema = content["schema"]
    if "$ref" not in schema:
        schema = next((option for option in schema.get("anyOf", []) if "$ref" in option), {})
    if "$ref" not in schema:
        return {}
    return document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]].get("properties", {})


def _call(client, document, path, method, operation, valid, override):
    """One request with every parameter valid except those in ``override``."""
    url, query = path, {}
    for parameter in operation.get("parameters", []):
        name = parameter["name"]
        value = str(override.get(name, valid.get(name, "1")))
        if parameter["in"] == "path":
            url = url.replace("{" + name + "}", quote(value, safe="") or "%20")
        elif name in override or parameter.get("required"):
            query[name] = value
    fields = _body_fields(document, operation)
    body = {name: override.get(name, valid.get(name, 1)) for name in fields}
    for name, value in body.items():
        if name in override and fields[name].get("type") == "integer":
            try:
                body[name] = int(value)  # a JSON number, as a script would send it
            except ValueError:
                body[name] = value
    if method == "get":
        return client.get(url, query)
    return client.generic(method.upper(), url + ("?" + "&".join(f"{k}={quote(v)}" for k, v in query.items())
                                                 if query else ""),
                          json.dumps(body), content_type="application/json")


@pytest.mark.slow
def test_every_operation_takes_hostile_numbers_without_a_server_error(api_world):
    client, valid, document = api_world
    wrong = []
    for path, method, operation in _operations(document):
        names = [p["name"] for p in operation.get("parameters", [])] + list(_body_fields(document, operation))
        documented = {int(code) for code in operation["responses"]}
        for name in names:
            for value in HOSTILE:
                response = _call(client, document, path, method, operation, valid, {name: value})
                if response.status_code >= 500 or response.status_code not in documented:
                    wrong.append((method, path, name, value, response.status_code))
    assert wrong == [], "\n".join(map(str, wrong))


@pytest.mark.parametrize(("url", "field"), [
    ("/api/agencies/{agency}/reports/0", "year"), ("/api/agencies/{agency}/reports/-5", "year"),
    ("/api/agencies/{agency}/reports/99999", "year"), ("/api/annual-reports?agency_id=9223372036854775808", "agency_id"),
    ("/api/appeals?agency_id=9223372036854775808", "agency_id"), ("/api/appeals/9223372036854775808", "appeal_id"),
    ("/api/annual-reports?year=99999", "year")])
def test_an_out_of_range_number_is_a_422_naming_the_field_in_chinese(world, api_world, url, field):
    client, _, _ = api_world
    response = client.get(url.format(agency=world.street.pk))
    assert response.status_code == 422
    errors = response.json()["detail"]
    assert [error["loc"][-1] for error in errors] == [field]
    assert field in errors[0]["msg"] and any("\u4e00" <= ch <= "\u9fff" for ch in errors[0]["msg"])


def test_every_operation_documents_its_error_responses(api_world):
    _, _, document = api_world
    missing = []
    for path, method, operation in _operations(document):
        parameters = operation.get("parameters", [])
        expected = {"401"}
        if parameters or "requestBody" in operation:
            expected.add("422")
        if any(p["in"] == "path" for p in parameters):
            expected.add("404")
        if method in WRITES:
            expected |= {"403", "404", "409"}
        for code in sorted(expected - set(operation["responses"])):
            missing.append((method, path, code))
        for code in expected:
            if code in operation["responses"] and not operation["responses"][code].get("description"):
                missing.append((method, path, code, "no description"))
    assert missing == [], "\n".join(map(str, missing))


def test_a_body_number_goes_through_the_same_bound(world, api_world):
    client, _, _ = api_world
    response = client.post("/api/annual-reports", json.dumps({"agency_id": 2**63, "year": 2024}),
                           content_type="application/json")
    assert response.status_code == 422
    assert [error["loc"][-1] for error in response.json()["detail"]] == ["agency_id"]
    assert response.json()["detail"][0]["msg"] == "请求体字段 agency_id 应不大于 9223372036854775807"


def test_every_operation_answers_an_anonymous_caller_with_its_documented_401(api_world):
    _, valid, document = api_world
    anonymous = Client(raise_request_exception=False)
    answers = {(method, path): _call(anonymous, document, path, method, operation, valid, {}).status_code
               for path, method, operation in _operations(document)}
    assert set(answers.values()) == {401}, answers
