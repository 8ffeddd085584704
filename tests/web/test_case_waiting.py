"""A case page that offers the user no step says which step comes next, which role takes it and who holds it."""

import re

from tests.web.test_case_assignee import accepted, logged_in, second_handler  # noqa: F401 (fixture)

from gongkai.web.cases import services as s


def waiting_text(user, application) -> str:
    html = logged_in(user).get(f"/staff/cases/{application.pk}/").content.decode()
    match = re.search(r'<p id="case-waiting">(.*?)</p>', html, re.S)
    assert match, "the page neither offers a step nor says who acts next"
    return match.group(1)


def test_a_reviewer_is_told_the_assigned_handler_drafts_the_reply(world, second_handler):  # noqa: F811
    application = accepted(world)  # 承办人: east_handler
    text = waiting_text(world.users["reviewer"], application)
    assert "下一步：拟办答复，由本机构承办岗位办理。" in text
    assert "east_handler" in text and "east_handler2" not in text  # only the 承办人 drafts, not every handler


def test_a_handler_is_told_who_reviews_a_drafted_reply(world):
    application = accepted(world)
    application = s.application_draft_reply(application=application, acting_user=world.users["handler"],
                                            outcome="granted", note="同意公开")
    text = waiting_text(world.users["handler"], application)
    assert "下一步：审核通过，由本机构审核岗位办理。" in text and "east_reviewer" in text


def test_a_case_nobody_may_take_on_says_so(world):
    application = accepted(world)
    application.agency.memberships.filter(role="handler").delete()
    application.assignee = None
    application.save()
    text = waiting_text(world.users["reviewer"], application)
    assert "本机构目前没有可以办理这一步的人员" in text
