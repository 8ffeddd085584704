"""Appeals (行政复议、行政诉讼): services with their role checks, the staff pages, and table 四."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gongkai.web.annual.build import annual_report
from gongkai.web.appeals.models import Appeal
from gongkai.web.appeals.services import appeal_correct, appeal_decide, appeal_register

pytestmark = pytest.mark.django_db


def _review(world, application, **kwargs):
    values = dict(agency=world.street, acting_user=world.users["handler"], kind="review",
                  filed_on=date(2024, 11, 1), application=application, case_number="东复〔2024〕1号")
    values.update(kwargs)
    return appeal_register(**values)


def _messages(error: ValidationError) -> str:
    return "；".join(error.messages)


# ---------------------------------------------------------------- services


def test_handler_registers_and_decides_and_history_keeps_every_version(world):
    application = world.register().application
    appeal = _review(world, application)
    assert (appeal.result, appeal.decided_on) == ("pending", None)
    decided = appeal_decide(appeal=appeal, acting_user=world.users["handler"], result="corrected",
                            decided_on=date(2025, 1, 10))
    assert (decided.result, decided.decided_on) == ("corrected", date(2025, 1, 10))
    versions = list(decided.history.order_by("history_id"))
    assert [v.result for v in versions] == ["pending", "corrected"]
    assert {v.history_user for v in versions} == {world.users["handler"]}


def test_only_agency_admin_corrects_and_the_reason_is_kept(world):
    appeal = _review(world, world.register().application)
    with pytest.raises(PermissionDenied, match="机构管理员"):
        appeal_correct(appeal=appeal, acting_user=world.users["handler"], reason="日期录错", filed_on=date(2024, 10, 30))
    with pytest.raises(ValidationError, match="更正必须写明理由"):
        appeal_correct(appeal=appeal, acting_user=world.users["agency_admin"], reason=" ", filed_on=date(2024, 10, 30))
    corrected = appeal_correct(appeal=appeal, acting_user=world.users["agency_admin"], reason="日期录错",
                               filed_on=date(2024, 10, 30))
    assert corrected.filed_on == date(2024, 10, 30)
    assert corrected.history.first().history_change_reason == "日期录错"


@pytest.mark.parametrize("role", ["intake", "reviewer", "signer"])
def test_other_roles_may_not_register(world, role):
    with pytest.raises(PermissionDenied, match="承办或机构管理员"):
        _review(world, world.register().application, acting_user=world.users[role])
    assert not Appeal.objects.exists()


def test_supervisor_of_the_district_may_not_register_for_the_street(world):
    with pytest.raises(PermissionDenied):
        _review(world, world.register().application, acting_user=world.supervisor)


def test_application_of_another_agency_is_refused(world):
    west = world.register(agency=world.other_street, user=world.other_intake).application
    with pytest.raises(ValidationError) as caught:
        _review(world, west)
    assert f"申请 {west.number} 不是「测试区东街道办事处」的申请" in _messages(caught.value)
    assert not Appeal.objects.exists()


def test_decided_before_filed_is_refused(world):
    application = world.register().application
    with pytest.raises(ValidationError) as caught:
        _review(world, application, result="upheld", decided_on=date(2024, 10, 1))
    assert "审结日期 2024-10-01 早于受理/立案日期 2024-11-01" in _messages(caught.value)
    appeal = _review(world, application)
    with pytest.raises(ValidationError, match="早于受理/立案日期"):
        appeal_decide(appeal=appeal, acting_user=world.users["handler"], result="upheld", decided_on=date(2024, 10, 1))
    appeal.refresh_from_db()
    assert appeal.result == "pending"


def test_result_and_date_go_together(world):
    application = world.register().application
    with pytest.raises(ValidationError, match="已审结的案件必须填写审结日期"):
        _review(world, application, result="upheld")
    with pytest.raises(ValidationError, match="尚未审结的案件不能填写审结日期"):
        _review(world, application, decided_on=date(2025, 1, 1))
    with pytest.raises(ValidationError, match="未知的类型"):
        _review(world, application, kind="mediation")


def test_appeal_filed_before_the_application_was_received_is_refused(world):
    application = world.register(received_on=date(2024, 9, 27)).application
    with pytest.raises(ValidationError, match="早于所涉申请的收到日期 2024-09-27"):
        _review(world, application, filed_on=date(2024, 9, 1))


def test_a_decided_appeal_is_not_decided_again(world):
    appeal = _review(world, world.register().application, result="upheld", decided_on=date(2024, 12, 1))
    with pytest.raises(ValidationError, match="已于 2024-12-01 审结"):
        appeal_decide(appeal=appeal, acting_user=world.users["handler"], result="corrected",
                      decided_on=date(2024, 12, 2))


def test_duplicate_case_number_is_refused(world):
    application = world.register().application
    _review(world, application)
    with pytest.raises(ValidationError, match="案号「东复〔2024〕1号」已登记过"):
        _review(world, application)


def test_litigation_after_review_needs_a_decided_review_of_the_same_application(world):
    application = world.register().application
    suit = dict(kind="litigation_after_review", filed_on=date(2025, 2, 1), case_number="（2025）东行初1号")
    with pytest.raises(ValidationError, match="复议后起诉必须关联所涉申请"):
        _review(world, None, **suit)
    with pytest.raises(ValidationError, match="没有登记过行政复议，不能登记为复议后起诉"):
        _review(world, application, **suit)
    review = _review(world, application)
    with pytest.raises(ValidationError, match="之前尚未审结"):
        _review(world, application, **suit)
    appeal_decide(appeal=review, acting_user=world.users["handler"], result="upheld", decided_on=date(2025, 1, 15))
    lawsuit = _review(world, application, **suit)
    assert lawsuit.kind == "litigation_after_review"


# ---------------------------------------------------------------- pages


def test_register_through_the_page_by_application_number(client, world):
    application = world.register().application
    client.force_login(world.users["handler"])
    response = client.post(reverse("staff:appeal_create"), {
        "agency": world.street.pk, "application_number": application.number, "kind": "review",
        "case_number": "东复〔2024〕7号", "filed_on": "2024-11-05", "result": "pending", "decided_on": ""})
    appeal = Appeal.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("staff:appeal_detail", args=[appeal.pk])
    assert (appeal.application, appeal.agency, appeal.filed_on) == (application, world.street, date(2024, 11, 5))
    detail = client.get(reverse("staff:case_detail", args=[application.pk])).content.decode()
    assert "东复〔2024〕7号" in detail and reverse("staff:appeal_detail", args=[appeal.pk]) in detail


def test_page_shows_the_service_error_in_chinese_and_stores_nothing(client, world):
    application = world.register().application
    client.force_login(world.users["handler"])
    response = client.post(reverse("staff:appeal_create"), {
        "agency": world.street.pk, "application_number": application.number, "kind": "review",
        "filed_on": "2024-11-05", "result": "upheld", "decided_on": "2024-11-01"})
    assert response.status_code == 400
    assert "审结日期 2024-11-01 早于受理/立案日期 2024-11-05" in response.content.decode()
    response = client.post(reverse("staff:appeal_create"), {
        "agency": world.street.pk, "application_number": "GK999-2024-00001", "kind": "review",
        "filed_on": "2024-11-05", "result": "pending"})
    assert response.status_code == 400 and "找不到申请编号「GK999-2024-00001」" in response.content.decode()
    assert not Appeal.objects.exists()


def test_application_of_another_agency_cannot_be_picked_by_number(client, world):
    west = world.register(agency=world.other_street, user=world.other_intake).application
    client.force_login(world.users["handler"])
    response = client.post(reverse("staff:appeal_create"), {
        "agency": world.street.pk, "application_number": west.number, "kind": "review",
        "filed_on": "2024-11-05", "result": "pending"})
    assert response.status_code == 400 and f"找不到申请编号「{west.number}」" in response.content.decode()
    assert not Appeal.objects.exists()


def test_form_fields_are_labelled_and_protected_by_csrf(client, world):
    client.force_login(world.users["handler"])
    page = client.get(reverse("staff:appeal_create")).content.decode()
    assert "csrfmiddlewaretoken" in page
    for name in ("agency", "application_number", "kind", "case_number", "filed_on", "result", "decided_on"):
        assert f'<label for="id_{name}">' in page


def test_decide_through_the_page(client, world):
    appeal = _review(world, world.register().application)
    client.force_login(world.users["handler"])
    response = client.post(reverse("staff:appeal_decide", args=[appeal.pk]),
                           {"decide-result": "corrected", "decide-decided_on": "2025-01-20"})
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert (appeal.result, appeal.decided_on) == ("corrected", date(2025, 1, 20))
    page = client.get(reverse("staff:appeal_detail", args=[appeal.pk])).content.decode()
    assert "结果纠正" in page and "east_handler" in page


def test_other_agency_sees_neither_list_entry_nor_detail(client, world):
    appeal = _review(world, world.register().application)
    client.force_login(world.other_intake)
    assert "东复〔2024〕1号" not in client.get(reverse("staff:appeal_list")).content.decode()
    assert client.get(reverse("staff:appeal_detail", args=[appeal.pk])).status_code == 404
    response = client.post(reverse("staff:appeal_decide", args=[appeal.pk]),
                           {"decide-result": "upheld", "decide-decided_on": "2025-01-20"})
    assert response.status_code == 404
    assert client.get(reverse("staff:appeal_create")).status_code == 403


def test_supervisor_sees_the_subtree_read_only(client, world):
    appeal = _review(world, world.register().application)
    client.force_login(world.supervisor)
    assert "东复〔2024〕1号" in client.get(reverse("staff:appeal_list")).content.decode()
    page = client.get(reverse("staff:appeal_detail", args=[appeal.pk]))
    assert page.status_code == 200 and "记录审结结果" not in page.content.decode()
    response = client.post(reverse("staff:appeal_decide", args=[appeal.pk]),
                           {"decide-result": "upheld", "decide-decided_on": "2025-01-20"})
    assert response.status_code == 403
    assert client.post(reverse("staff:appeal_correct", args=[appeal.pk]), {}).status_code == 403
    assert client.get(reverse("staff:appeal_create")).status_code == 403
    appeal.refresh_from_db()
    assert appeal.result == "pending"


def test_correct_through_the_page_keeps_the_reason(client, world):
    appeal = _review(world, world.register().application, result="upheld", decided_on=date(2024, 12, 1))
    client.force_login(world.users["agency_admin"])
    response = client.post(reverse("staff:appeal_correct", args=[appeal.pk]), {
        "correct-kind": "review", "correct-case_number": "东复〔2024〕1号", "correct-filed_on": "2024-11-01",
        "correct-result": "pending", "correct-decided_on": "", "correct-reason": "复议机关撤销原决定，重新审理"})
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert (appeal.result, appeal.decided_on) == ("pending", None)
    assert "复议机关撤销原决定，重新审理" in client.get(reverse("staff:appeal_detail", args=[appeal.pk])).content.decode()


def test_table_four_counts_appeals_registered_through_the_pages(client, world):
    first = world.register(received_on=date(2024, 3, 4)).application
    second = world.register(received_on=date(2024, 5, 6)).application
    client.force_login(world.users["handler"])

    def post(application, kind, filed, case_number, result="pending", decided=""):
        response = client.post(reverse("staff:appeal_create"), {
            "agency": world.street.pk, "application_number": application.number, "kind": kind,
            "case_number": case_number, "filed_on": filed, "result": result, "decided_on": decided})
        assert response.status_code == 302, response.content.decode()

    post(first, "review", "2024-04-01", "复1", "upheld", "2024-06-01")
    post(second, "review", "2024-07-01", "复2")
    post(first, "litigation_after_review", "2024-06-20", "诉1")
    post(second, "litigation_direct", "2024-12-01", "诉2", "corrected", "2025-02-01")
    appeal = Appeal.objects.get(case_number="复2")
    client.post(reverse("staff:appeal_decide", args=[appeal.pk]),
                {"decide-result": "other", "decide-decided_on": "2025-03-01"})

    table_2024 = annual_report(world.street, 2024).appeals
    assert table_2024["review"] == {"upheld": 1, "corrected": 0, "other": 0, "pending": 1, "total": 2}
    assert table_2024["litigation_after_review"] == {"upheld": 0, "corrected": 0, "other": 0, "pending": 1, "total": 1}
    assert table_2024["litigation_direct"] == {"upheld": 0, "corrected": 0, "other": 0, "pending": 1, "total": 1}
    table_2025 = annual_report(world.street, 2025).appeals
    assert table_2025["review"] == {"upheld": 0, "corrected": 0, "other": 1, "pending": 0, "total": 1}
    assert table_2025["litigation_direct"] == {"upheld": 0, "corrected": 1, "other": 0, "pending": 0, "total": 1}
    assert table_2025["litigation_after_review"]["total"] == 1  # still pending, carried into 2025
