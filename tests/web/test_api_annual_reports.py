"""The API's annual report records, appeal detail with history and fee notices: the pages' gates and services.

Visibility is ``records_visible_to`` / the appeals' agency gate (another agency's record is a 404),
every step goes through the annual services (wrong role → 403 naming the role, wrong state → 409),
and the files are the writers' own output.
"""

import io
import json
import zipfile
from datetime import date

import pytest
from django.test import Client
from tests.web.factories import figures_stated

from gongkai.web.annual import services as annual
from gongkai.web.annual.models import AnnualReportRecord
from gongkai.web.annual.selectors import record_checks
from gongkai.web.appeals import services as appeals
from gongkai.web.appeals.models import Appeal
from gongkai.web.cases import fees
from gongkai.web.cases import services as cases

State = AnnualReportRecord.State
EAST = "测试区东街道办事处"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_json(client: Client, url: str, body=None):
    """POST ``body`` as JSON; ``None`` is an empty request body (the comment is optional)."""
    return client.post(url, "" if body is None else json.dumps(body), content_type="application/json")


@pytest.fixture
def draft(world) -> AnnualReportRecord:
    world.register(received_on=date(2024, 9, 27))
    figures_stated(world.street, 2024)
    return annual.annual_report_record_create(agency=world.street, year=2024, acting_user=world.users["handler"])


@pytest.fixture
def in_review(world, draft) -> AnnualReportRecord:
    return annual.annual_report_record_submit(record=draft, acting_user=world.users["handler"])


@pytest.fixture
def published(world, in_review) -> AnnualReportRecord:
    record = annual.annual_report_record_approve(record=in_review, acting_user=world.users["reviewer"])
    return annual.annual_report_record_publish(record=record, acting_user=world.users["signer"])


def state_of(record: AnnualReportRecord) -> str:
    record.refresh_from_db()
    return record.state


# ---------------------------------------------------------------- the OpenAPI document


def test_openapi_lists_the_new_paths(client, db):
    document = client.get("/api/openapi.json").json()
    paths = document["paths"]
    assert {"/api/annual-reports", "/api/annual-reports/{record_id}", "/api/annual-reports/{record_id}/download/{fmt}",
            "/api/annual-reports/{record_id}/steps/{step}", "/api/appeals/{appeal_id}"} <= set(paths)
    assert set(paths["/api/annual-reports"]) == {"get", "post"}
    step_responses = paths["/api/annual-reports/{record_id}/steps/{step}"]["post"]["responses"]
    assert {"200", "403", "404", "409"} <= set(step_responses)
    download = paths["/api/annual-reports/{record_id}/download/{fmt}"]["get"]["responses"]["200"]["content"]
    assert {"application/pdf", "application/json", "text/html"} <= set(download)
    detail = document["components"]["schemas"]["ApplicationDetail"]["properties"]
    assert "fee_notices" in detail
    assert "history" in document["components"]["schemas"]["AppealDetail"]["properties"]


# ---------------------------------------------------------------- the whole workflow through the API


def test_create_submit_approve_publish_and_correct(world):
    u = world.users
    world.register(received_on=date(2024, 9, 27))
    figures_stated(world.street, 2024)
    writer, reviewer, signer = client_for(u["handler"]), client_for(u["reviewer"]), client_for(u["signer"])

    created = post_json(writer, "/api/annual-reports", {"agency_id": world.street.pk, "year": 2024})
    assert created.status_code == 201, created.content
    data = created.json()
    record = AnnualReportRecord.objects.get(agency=world.street, year=2024)
    assert (data["id"], data["version"], data["state"], data["state_label"]) == (record.pk, 1, "draft", "草稿")
    assert data["agency"] == EAST and data["is_latest"] is True and data["published_at"] is None
    assert data["snapshot"] == record.snapshot and data["snapshot"]["applications"]["new"]["natural_person"] == 1
    assert [(e["action"], e["user"]) for e in data["events"]] == [("created", "east_handler")]

    url = f"/api/annual-reports/{record.pk}/steps"
    submitted = post_json(writer, f"{url}/submit")
    assert submitted.status_code == 200, submitted.content
    assert (submitted.json()["state"], submitted.json()["state_label"]) == ("in_review", "审核")
    approved = post_json(reviewer, f"{url}/approve", {"comment": "数字已核对"})
    assert approved.json()["state"] == "approved"
    assert approved.json()["events"][-1] == {**approved.json()["events"][-1], "action": "approved",
                                             "user": "east_reviewer", "comment": "数字已核对",
                                             "from_state": "in_review", "to_state": "approved"}
    publication = post_json(signer, f"{url}/publish")
    assert publication.status_code == 200 and publication.json()["state"] == "published"
    assert publication.json()["published_at"] and state_of(record) == State.PUBLISHED

    # published: locked, a second publication is a conflict with the service's message
    again = post_json(signer, f"{url}/publish")
    assert again.status_code == 409
    assert again.json()["detail"] == "第1版已发布，已锁定，不能签发发布；如需更正，请生成新版本"

    corrected = post_json(writer, f"{url}/correct", {"comment": "更正表二数字"})
    assert corrected.status_code == 200
    new = corrected.json()
    assert (new["version"], new["state"], new["is_latest"]) == (2, "draft", True) and new["id"] != record.pk
    assert new["events"][0]["comment"] == "更正第1版：更正表二数字"
    old = writer.get(f"/api/annual-reports/{record.pk}").json()
    assert (old["state"], old["is_latest"]) == ("published", False)

    listing = writer.get("/api/annual-reports").json()
    assert [(r["id"], r["version"], r["state"]) for r in listing] == [(new["id"], 2, "draft"),
                                                                     (record.pk, 1, "published")]
    assert listing[1]["published_at"] == old["published_at"] and listing[0]["published_at"] is None


def test_list_filters_by_agency_and_year_newest_first(world):
    u = world.users
    older = annual.annual_report_record_create(agency=world.street, year=2023, acting_user=u["agency_admin"])
    newer = annual.annual_report_record_create(agency=world.street, year=2024, acting_user=u["agency_admin"])
    client = client_for(u["intake"])  # any role of the agency may read
    assert [r["id"] for r in client.get("/api/annual-reports").json()] == [newer.pk, older.pk]
    assert [r["id"] for r in client.get("/api/annual-reports?year=2023").json()] == [older.pk]
    assert [r["id"] for r in client.get(f"/api/annual-reports?agency_id={world.street.pk}&year=2024").json()] == [
        newer.pk]
    assert client.get(f"/api/annual-reports?agency_id={world.other_street.pk}").json() == []
    assert client.get("/api/annual-reports?year=abc").status_code == 422


def test_detail_has_the_snapshot_and_the_checks_of_the_version(world, draft):
    data = client_for(world.users["reviewer"]).get(f"/api/annual-reports/{draft.pk}").json()
    assert data["snapshot"] == draft.snapshot
    assert data["checks"] == [issue.to_json() for issue in record_checks(draft)]
    assert all(check["message"] for check in data["checks"])
    # a year whose table 二 figures were never entered: the checks say so
    bare = annual.annual_report_record_create(agency=world.street, year=2023, acting_user=world.users["handler"])
    checks = client_for(world.users["reviewer"]).get(f"/api/annual-reports/{bare.pk}").json()["checks"]
    assert "cells.blank" in {check["rule"] for check in checks}


# ---------------------------------------------------------------- refusals


def test_check_errors_block_submission_with_a_conflict(world):
    figures_stated(world.street, 2023)
    last_year = annual.annual_report_record_create(agency=world.street, year=2023)
    annual.annual_report_record_advance(record=last_year)
    annual.annual_report_record_advance(record=last_year)  # published with nothing carried forward
    world.register(received_on=date(2023, 12, 20))  # entered late: open at the end of 2023
    record = annual.annual_report_record_create(agency=world.street, year=2024, acting_user=world.users["handler"])
    response = post_json(client_for(world.users["handler"]), f"/api/annual-reports/{record.pk}/steps/submit")
    assert response.status_code == 409
    assert response.json()["detail"].startswith("检查发现错误：表三「自然人」列：本年「上年结转」为1件")
    assert state_of(record) == State.DRAFT


def test_wrong_role_is_refused_with_the_role_named(world, draft, in_review):
    u = world.users
    response = post_json(client_for(u["handler"]), f"/api/annual-reports/{in_review.pk}/steps/approve")
    assert response.status_code == 403
    assert response.json()["detail"] == f"需要在「{EAST}」担任审核岗位才能执行此操作"
    response = post_json(client_for(u["reviewer"]), f"/api/annual-reports/{in_review.pk}/steps/publish")
    assert response.status_code == 403 and "签发岗位" in response.json()["detail"]
    assert state_of(in_review) == State.IN_REVIEW
    assert list(in_review.events.values_list("action", flat=True)) == ["created", "submitted"]


def test_create_refusals(world, draft):
    u = world.users
    refused = post_json(client_for(u["intake"]), "/api/annual-reports", {"agency_id": world.street.pk, "year": 2023})
    assert refused.status_code == 403
    assert refused.json()["detail"] == f"需要在「{EAST}」担任承办、机构管理员岗位才能执行此操作"
    writer = client_for(u["handler"])
    pending = post_json(writer, "/api/annual-reports", {"agency_id": world.street.pk, "year": 2024})
    assert pending.status_code == 409
    assert pending.json()["detail"] == "2024年度已有未发布的第1版，请在该版本上修改或从数据刷新"
    too_early = post_json(writer, "/api/annual-reports", {"agency_id": world.street.pk, "year": 2018})
    assert too_early.status_code == 409 and "年度应在2019年至" in too_early.json()["detail"]
    elsewhere = post_json(writer, "/api/annual-reports", {"agency_id": world.other_street.pk, "year": 2024})
    assert elsewhere.status_code == 404
    assert post_json(writer, "/api/annual-reports", {"agency_id": world.street.pk}).status_code == 422
    assert list(AnnualReportRecord.objects.values_list("pk", flat=True)) == [draft.pk]


def test_return_needs_a_reason_and_keeps_it(world, in_review):
    reviewer = client_for(world.users["reviewer"])
    url = f"/api/annual-reports/{in_review.pk}/steps/return"
    for body in (None, {}, {"comment": "   "}):
        response = post_json(reviewer, url, body)
        assert response.status_code == 409 and response.json()["detail"] == "请填写退回理由", body
    assert state_of(in_review) == State.IN_REVIEW
    assert post_json(reviewer, url, {"comment": "x" * 1001}).status_code == 422
    returned = post_json(reviewer, url, {"comment": "总体情况缺少收费数字"})
    assert returned.status_code == 200 and returned.json()["state"] == "draft"
    assert returned.json()["events"][-1]["comment"] == "总体情况缺少收费数字"


def test_unknown_step_and_format_are_404(world, draft):
    client = client_for(world.users["handler"])
    response = post_json(client, f"/api/annual-reports/{draft.pk}/steps/refresh_everything")
    assert response.status_code == 404 and "submit" in response.json()["detail"]
    response = client.get(f"/api/annual-reports/{draft.pk}/download/xlsx")
    assert response.status_code == 404 and "pdf" in response.json()["detail"]
    assert client.get(f"/api/annual-reports/{draft.pk + 1000}").status_code == 404
    assert state_of(draft) == State.DRAFT


def test_a_user_of_another_agency_gets_404_everywhere(world, draft):
    west = client_for(world.other_intake)
    assert west.get("/api/annual-reports").json() == []
    assert west.get(f"/api/annual-reports?agency_id={world.street.pk}").json() == []
    assert west.get(f"/api/annual-reports/{draft.pk}").status_code == 404
    assert west.get(f"/api/annual-reports/{draft.pk}/download/pdf").status_code == 404
    for step in ("submit", "correct"):
        assert post_json(west, f"/api/annual-reports/{draft.pk}/steps/{step}").status_code == 404
    assert state_of(draft) == State.DRAFT
    assert AnnualReportRecord.objects.count() == 1


def test_the_supervisor_sees_the_subtree_but_changes_nothing(world, draft):
    supervisor = client_for(world.supervisor)
    assert [r["id"] for r in supervisor.get("/api/annual-reports").json()] == [draft.pk]
    assert supervisor.get(f"/api/annual-reports/{draft.pk}").json()["snapshot"] == draft.snapshot
    assert supervisor.get(f"/api/annual-reports/{draft.pk}/download/json").status_code == 200
    response = post_json(supervisor, f"/api/annual-reports/{draft.pk}/steps/submit")
    assert response.status_code == 403
    assert response.json()["detail"] == f"需要在「{EAST}」担任承办、机构管理员岗位才能执行此操作"
    created = post_json(supervisor, "/api/annual-reports", {"agency_id": world.other_street.pk, "year": 2024})
    assert created.status_code == 403 and "测试区西街道办事处" in created.json()["detail"]
    assert state_of(draft) == State.DRAFT and AnnualReportRecord.objects.count() == 1


def test_anonymous_and_csrf(world, draft):
    anonymous = Client()
    assert anonymous.get("/api/annual-reports").status_code == 401
    assert anonymous.get(f"/api/annual-reports/{draft.pk}/download/pdf").status_code == 401
    assert post_json(anonymous, f"/api/annual-reports/{draft.pk}/steps/submit").status_code == 401
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.users["handler"])
    assert post_json(strict, f"/api/annual-reports/{draft.pk}/steps/submit").status_code == 403
    assert post_json(strict, "/api/annual-reports", {"agency_id": world.street.pk, "year": 2023}).status_code == 403
    assert state_of(draft) == State.DRAFT and AnnualReportRecord.objects.count() == 1


# ---------------------------------------------------------------- downloads


def test_downloads_open_in_every_format(world, published):
    client = client_for(world.users["intake"])
    url = f"/api/annual-reports/{published.pk}/download"
    pdf = client.get(f"{url}/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf["Content-Disposition"] and ".pdf" in pdf["Content-Disposition"]
    as_json = client.get(f"{url}/json")
    assert as_json["Content-Type"].startswith("application/json")
    assert json.loads(as_json.content) == published.snapshot
    html = client.get(f"{url}/html").content.decode("utf-8")
    assert html.lstrip().lower().startswith("<!doctype html") and EAST in html
    docx = client.get(f"{url}/docx")
    with zipfile.ZipFile(io.BytesIO(docx.content)) as archive:
        assert EAST in archive.read("word/document.xml").decode("utf-8")


# ---------------------------------------------------------------- appeals: detail with history


@pytest.fixture
def appeal(world) -> Appeal:
    u = world.users
    application = world.register(received_on=date(2024, 3, 1)).application
    appeal = appeals.appeal_register(agency=world.street, acting_user=u["handler"], kind="review",
                                     filed_on=date(2024, 5, 1), application=application, case_number="复2024-1")
    appeal = appeals.appeal_decide(appeal=appeal, acting_user=u["handler"], result="upheld",
                                   decided_on=date(2024, 7, 1))
    return appeals.appeal_correct(appeal=appeal, acting_user=u["agency_admin"], reason="审结日期录错",
                                  decided_on=date(2024, 7, 3))


def test_appeal_detail_shows_who_changed_what_and_when(world, appeal):
    data = client_for(world.users["intake"]).get(f"/api/appeals/{appeal.pk}").json()
    assert (data["id"], data["case_number"], data["application_number"]) == (appeal.pk, "复2024-1",
                                                                            appeal.application.number)
    assert (data["result"], data["decided_on"]) == ("upheld", "2024-07-03")
    history = data["history"]
    assert [(h["action"], h["action_label"], h["user"]) for h in history] == [
        ("changed", "修改", "east_agency_admin"), ("changed", "修改", "east_handler"),
        ("created", "登记", "east_handler")]
    corrected, decided, created = history
    assert corrected["reason"] == "审结日期录错"
    assert corrected["changes"] == [{"field": "decided_on", "label": "审结日期", "old": "2024-07-01", "new": "2024-07-03"}]
    upheld = Appeal.Result("upheld").label
    assert sorted((c["field"], c["old"], c["new"]) for c in decided["changes"]) == [
        ("decided_on", None, "2024-07-01"), ("result", Appeal.Result("pending").label, upheld)]
    assert decided["reason"] is None
    first = {c["field"]: c["new"] for c in created["changes"]}
    assert first == {"kind": Appeal.Kind("review").label, "case_number": "复2024-1", "filed_on": "2024-05-01",
                     "result": Appeal.Result("pending").label, "application": appeal.application.number}
    assert corrected["at"] >= decided["at"] >= created["at"]


def test_appeal_detail_has_the_list_gate(world, appeal):
    assert client_for(world.other_intake).get(f"/api/appeals/{appeal.pk}").status_code == 404
    assert client_for(world.supervisor).get(f"/api/appeals/{appeal.pk}").json()["history"][0]["reason"] == "审结日期录错"
    assert client_for(world.users["handler"]).get(f"/api/appeals/{appeal.pk + 1000}").status_code == 404
    assert Client().get(f"/api/appeals/{appeal.pk}").status_code == 401


# ---------------------------------------------------------------- fee notices on the application detail


def test_application_detail_lists_its_fee_notices_without_personal_data(world):
    from gongkai.web.cases.models import Application

    u = world.users
    application = world.register(received_on=date(2024, 9, 27)).application
    Application.objects.filter(pk=application.pk).update(applicant_id_number="110101199001011234",
                                                         applicant_phone="13800138000")
    application = cases.application_start_review(application=application, acting_user=u["intake"])
    application = cases.application_accept(application=application, acting_user=u["handler"])
    fees.application_issue_fee_notice(application=application, acting_user=u["handler"], basis="per_page", pages=31,
                                      issued_on=date(2024, 10, 8))
    notice = application.fee_notices.get()
    expected = [{"basis": "per_page", "basis_label": "按量计收", "amount": 10, "explanation": notice.explanation,
                 "issued_on": "2024-10-08", "due_on": notice.due_on.isoformat(), "paid_on": None, "lapsed_on": None}]
    assert "10 元" in notice.explanation
    handler_view = client_for(u["handler"]).get(f"/api/applications/{application.number}").json()
    assert handler_view["fee_notices"] == expected
    supervisor_view = client_for(world.supervisor).get(f"/api/applications/{application.number}").json()
    assert supervisor_view["fee_notices"] == expected and supervisor_view["applicant"]["masked"] is True
    text = json.dumps(supervisor_view["fee_notices"], ensure_ascii=False)
    assert "13800138000" not in text and "110101199001011234" not in text and "张三" not in text

    fees.application_record_fee_payment(application=application, acting_user=u["handler"], paid_on=date(2024, 10, 9))
    paid = client_for(u["handler"]).get(f"/api/applications/{application.number}").json()["fee_notices"]
    assert [(n["paid_on"], n["lapsed_on"]) for n in paid] == [("2024-10-09", None)]


def test_application_without_fees_has_an_empty_list(world):
    application = world.register(received_on=date(2024, 9, 27)).application
    assert client_for(world.users["handler"]).get(f"/api/applications/{application.number}").json()["fee_notices"] == []
