"""Staff pages name people and cases as people read them: no system login (online-intake) and no
internal keys in the demo's 案号."""

import re

from django.test import Client

from gongkai.web.agencies.models import Agency
from gongkai.web.appeals.models import Appeal
from gongkai.web.demo.load import load_appeals, load_applications
from gongkai.web.demo.published import seed_reports
from gongkai.web.public.services import online_application_submit


def test_an_online_application_is_shown_as_registered_by_the_online_platform(world):
    submission = online_application_submit(
        token="t-1", agency=world.street, applicant_type="natural_person", applicant_name="王五",
        applicant_id_number="110101199001011234", applicant_phone="13912345678", information_sought="某文件",
        delivery_form="电子邮件", applicant_email="w@example.cn")
    client = Client()
    client.force_login(world.users["handler"])
    html = client.get(f"/staff/cases/{submission.application.pk}/").content.decode()
    events = html.split("<h2>办理记录</h2>", 1)[1]
    assert "登记申请（网上申请平台（系统自动登记））" in events
    assert "online-intake" not in html


def test_the_demos_appeals_carry_case_numbers_in_the_printed_form(db):
    numbers = []
    for report in seed_reports():  # the seeds hold 行政复议 and 行政诉讼 cases both
        agency = Agency.objects.create(full_name=report.agency, short_name=report.agency[:20],
                                       kind=Agency.Kind.DEPARTMENT)
        load_applications(agency, report)
        load_appeals(agency, report)
        numbers += Appeal.objects.filter(agency=agency).values_list("agency", "kind", "case_number")
    assert {kind for _, kind, _ in numbers} >= {"review", "litigation_direct"}
    assert len({(agency, n) for agency, _, n in numbers}) == len(numbers)  # each case of an agency its own number
    for _, kind, number in numbers:
        assert not re.search(r"[A-Za-z_]", number), number  # no taxonomy key such as review-corrected
        pattern = r"演示复决〔\d{4}〕\d+号" if kind == "review" else r"（\d{4}）演示行初\d+号"
        assert re.fullmatch(pattern, number), number
