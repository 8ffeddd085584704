"""The demo has one account per role, so a publication can pass every step (保密审查 included)
with four eyes; the loader's own accounts hold no role once the demo is loaded."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from gongkai.web.agencies.models import Agency, Membership
from gongkai.web.demo.load import ROOT_NAME, load_demo
from gongkai.web.disclosure import services
from gongkai.web.disclosure.demo import LOADER_STEPS
from gongkai.web.disclosure.models import Article20Item, DisclosureRole, Genre, Publication

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def roles_of(user) -> list[tuple[int, str]]:
    return sorted([*Membership.objects.filter(user=user).values_list("agency_id", "role"),
                   *DisclosureRole.objects.filter(user=user).values_list("agency_id", "role")])


def test_every_role_has_its_own_demo_account_and_a_publication_passes_every_step(empty_search_index):
    logins = load_demo(write=lambda *_: None)
    users = {username: get_user_model().objects.get(username=username) for username, _, _ in logins}
    assert {role for _, role, _ in logins} == {"受理登记", "承办", "审核", "保密审查", "签发", "机构管理员", "主管部门"}
    for username, user in users.items():
        assert len(roles_of(user)) == 1, username  # one person, one role
    for username, _, _ in LOADER_STEPS.values():  # the loader's users acted, and hold nothing now
        assert roles_of(get_user_model().objects.get(username=username)) == []
    assert not get_user_model().objects.filter(username="demo_disclosure").exists()

    agency = Agency.objects.exclude(full_name=ROOT_NAME).order_by("pk").first()
    publication = services.publication_create(
        agency=agency, acting_user=users["demo_handler"], title="演示：停水通知", genre=Genre.NOTICE,
        article20_item=Article20Item.OTHER, formed_on=date(2026, 9, 14), body="演示正文。")
    publication = services.publication_submit(publication=publication, acting_user=users["demo_handler"])
    page = Client()
    page.force_login(users["demo_handler"])
    text = page.get(f"/staff/publications/{publication.pk}/").content.decode()
    assert "下一步：审核通过，由本机构审核岗位办理。本机构担任该岗位的有：孙丽（demo_reviewer）。" in text
    publication = services.publication_approve(publication=publication, acting_user=users["demo_reviewer"])
    text = page.get(f"/staff/publications/{publication.pk}/").content.decode()
    assert "下一步：保密审查通过，由本机构保密审查岗位办理。本机构担任该岗位的有：吴静（demo_secrecy_reviewer）。" in text
    publication = services.publication_clear(publication=publication, acting_user=users["demo_secrecy_reviewer"])
    publication = services.publication_publish(publication=publication, acting_user=users["demo_signer"])
    assert publication.state == Publication.State.PUBLISHED
