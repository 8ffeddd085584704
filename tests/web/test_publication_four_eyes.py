"""No publication reaches the portal through one person alone, and no 更正 skips review.

* Whoever wrote or submitted a version may not approve, clear (保密审查) or sign it, whatever
  roles they hold; pages say why and who acts next.
* A correction of a published item is a new version that goes through 审核 and 保密审查
  again; the portal shows the old content until the correction is signed.
* A catalogue import waits for review, except the agency admin's logged choice to import
  already-published history (page and ``gongkai catalogue import --already-published``).
"""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from tests.web import test_disclosure_fixtures as fixtures
from tests.web.factories import MembershipFactory, UserFactory
from tests.web.test_catalogue_import import GOOD_ROWS, csv_bytes

from gongkai.cli import main as gongkai_main
from gongkai.web.agencies.models import Membership
from gongkai.web.disclosure import services
from gongkai.web.disclosure.catalogue_import import catalogue_import
from gongkai.web.disclosure.models import DisclosureRole, Publication, PublicationEvent
from gongkai.web.disclosure.selectors import publications_public

desk = fixtures.desk
State = Publication.State
Role = Membership.Role


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def step_buttons(html: str) -> set[str]:
    return set(re.findall(r'<button type="submit" name="step" value="([a-z_]+)"', html))


@pytest.fixture
def everyone(desk):
    """One person holding 承办, 审核, 保密审查 and 签发 in the desk's agency."""
    user = UserFactory(username="d_everything", last_name="全", first_name="能")
    for role in (Role.HANDLER, Role.REVIEWER, Role.SIGNER):
        MembershipFactory(user=user, agency=desk.agency, role=role)
    DisclosureRole.objects.create(user=user, agency=desk.agency, role=DisclosureRole.Role.SECRECY_REVIEWER)
    return user


@pytest.fixture
def admin(desk):
    user = UserFactory(username="d_admin")
    MembershipFactory(user=user, agency=desk.agency, role=Role.AGENCY_ADMIN)
    return user


# ---------------------------------------------------------------- four eyes


def test_one_person_with_every_role_cannot_publish_what_they_wrote(desk, everyone):
    publication = desk.draft(user=everyone)
    publication = services.publication_submit(publication=publication, acting_user=everyone)
    with pytest.raises(PermissionDenied, match="双人复核"):
        services.publication_approve(publication=publication, acting_user=everyone)
    publication = services.publication_approve(publication=publication, acting_user=desk.reviewer)
    with pytest.raises(PermissionDenied, match="双人复核"):
        services.publication_clear(publication=publication, acting_user=everyone)
    publication = services.publication_clear(publication=publication, acting_user=desk.secrecy)
    with pytest.raises(PermissionDenied, match="双人复核"):
        services.publication_publish(publication=publication, acting_user=everyone)
    with desk.commit(execute=True):
        publication = services.publication_publish(publication=publication, acting_user=desk.signer)
    assert publication.is_visible()


def test_a_draft_edited_by_another_writer_bars_both_writers(desk, everyone):
    publication = desk.draft()  # d_writer wrote it
    services.publication_update(publication=publication, acting_user=everyone, body="改过的正文。")
    publication = services.publication_submit(publication=publication, acting_user=desk.writer)
    assert not services.can_take(everyone, publication, "approve")
    assert services.can_take(desk.reviewer, publication, "approve")


def test_a_non_writer_may_take_every_review_step_alone(desk, everyone):
    """Four eyes is writer against reviewer: one reviewer holding 审核, 保密审查 and 签发 may take them all."""
    publication = services.publication_submit(publication=desk.draft(), acting_user=desk.writer)
    publication = services.publication_approve(publication=publication, acting_user=everyone)
    publication = services.publication_clear(publication=publication, acting_user=everyone)
    with desk.commit(execute=True):
        assert services.publication_publish(publication=publication, acting_user=everyone).state == State.PUBLISHED


def test_the_page_explains_the_refusal_and_names_who_acts_next(desk, everyone):
    desk.reviewer.last_name, desk.reviewer.first_name = "王", "审核"
    desk.reviewer.save()
    publication = services.publication_submit(publication=desk.draft(user=everyone), acting_user=everyone)
    url = f"/staff/publications/{publication.pk}/"
    page = logged_in(everyone).get(url).content.decode()
    assert "approve" not in step_buttons(page) and "return" in step_buttons(page)
    assert "您撰写或提交了「关于做好城乡低保工作的通知」的这一版本，按“双人复核”规定不能审核通过" in page
    assert "下一步：审核通过，由本机构审核岗位办理。本机构担任该岗位的有：王审核（d_reviewer）。" in page
    assert "全能（d_everything）撰写或提交了本版本" in page
    assert logged_in(everyone).post(f"{url}steps/approve/", {"approve-comment": ""}).status_code == 403
    # at 保密审查 the writer, who holds no role there, is told who clears it
    publication = services.publication_approve(publication=publication, acting_user=desk.reviewer)
    page = logged_in(desk.writer).get(url).content.decode()
    assert "下一步：保密审查通过，由本机构保密审查岗位办理" in page and "d_secrecy" in page
    assert "当前环节没有您可以执行的操作" not in page


# ---------------------------------------------------------------- corrections


def test_a_correction_is_reviewed_again_while_the_old_text_stays_public(desk):
    publication = desk.publish(desk.draft(body="原来的正文。"))
    portal, index_number = f"/portal/publications/{publication.pk}/", publication.index_number
    with desk.commit(execute=True):
        revision = services.publication_correct(publication=publication, acting_user=desk.signer,
                                                comment="正文有误", title="更正后的标题", body="更正后的正文。")
    assert revision.state == State.REVIEW and revision.revision_of == publication
    assert not publications_public().filter(pk=revision.pk).exists()
    for step, user in (("approve", desk.reviewer), ("clear", desk.secrecy)):
        page = Client().get(portal).content.decode()
        assert "原来的正文。" in page and "更正后的正文" not in page
        with desk.commit(execute=True):
            revision = getattr(services, f"publication_{step}")(publication=revision, acting_user=user)
    # the signer wrote this correction, so another signer signs it
    with pytest.raises(PermissionDenied, match="双人复核"):
        services.publication_publish(publication=revision, acting_user=desk.signer)
    assert "原来的正文。" in Client().get(portal).content.decode()
    other_signer = MembershipFactory(user=UserFactory(username="d_signer2"), agency=desk.agency, role=Role.SIGNER).user
    with desk.commit(execute=True):
        services.publication_publish(publication=revision, acting_user=other_signer, comment="同意")
    page = Client().get(portal).content.decode()
    assert "更正后的正文。" in page and "更正后的标题" in page and "原来的正文" not in page
    publication.refresh_from_db()
    assert publication.state == State.PUBLISHED and publication.index_number == index_number
    assert publication.events.filter(action="correct").get().data["old"]["body"] == "原来的正文。"
    staff = logged_in(desk.writer).get(f"/staff/publications/{revision.pk}/").content.decode()
    assert "更正已生效" in staff


def test_a_correction_returned_is_edited_and_only_one_runs_at_a_time(desk):
    publication = desk.publish(desk.draft())
    revision = services.publication_correct(publication=publication, acting_user=desk.writer, comment="错字",
                                            title="新标题")
    with pytest.raises(ValidationError, match="已有一份更正"):
        services.publication_correct(publication=publication, acting_user=desk.writer, comment="又一处", body="x")
    page = logged_in(desk.writer).get(f"/staff/publications/{publication.pk}/").content.decode()
    assert "有一份" in page and f"/staff/publications/{revision.pk}/" in page and "签发前，公开专栏仍显示" in page
    revision = services.publication_return(publication=revision, acting_user=desk.reviewer, comment="标题再改")
    with pytest.raises(ValidationError, match="更正只能修改"):
        services.publication_update(publication=revision, acting_user=desk.writer, formed_on=publication.formed_on)
    form = logged_in(desk.writer).get(f"/staff/publications/{revision.pk}/edit/").content.decode()
    assert 'name="title"' in form and 'name="formed_on"' not in form and 'name="attachments"' not in form


# ---------------------------------------------------------------- catalogue import


def test_an_import_waits_for_review_and_its_importer_may_not_sign_it(desk):
    with desk.commit(execute=True):
        result = catalogue_import(agency=desk.agency, data=csv_bytes(GOOD_ROWS[1:2]), acting_user=desk.signer)
    (item,) = result.publications
    assert item.state == State.REVIEW and not publications_public().exists()
    item = services.publication_approve(publication=item, acting_user=desk.reviewer)
    item = services.publication_clear(publication=item, acting_user=desk.secrecy)
    with pytest.raises(PermissionDenied, match="双人复核"):
        services.publication_publish(publication=item, acting_user=desk.signer)


def test_only_an_agency_admin_may_import_already_published_history_and_it_is_logged(desk, admin):
    with pytest.raises(PermissionDenied, match="机构管理员"):
        catalogue_import(agency=desk.agency, data=csv_bytes(GOOD_ROWS[1:2]), acting_user=desk.signer,
                         already_published=True)
    with pytest.raises(PermissionDenied, match="机构管理员"):
        catalogue_import(agency=desk.agency, data=csv_bytes(GOOD_ROWS[1:2]), already_published=True)  # nobody named
    assert not Publication.objects.exists()
    with desk.commit(execute=True):
        (item,) = catalogue_import(agency=desk.agency, data=csv_bytes(GOOD_ROWS[1:2]), acting_user=admin,
                                   already_published=True).publications
    assert item.is_visible()
    event = item.events.get()
    assert event.acting_user == admin and event.comment == "导入已发布的历史信息（d_admin）"
    assert event.data["already_published"] is True


def test_the_import_page_offers_history_to_the_admin_only(desk, admin):
    assert "already_published" not in logged_in(desk.signer).get("/staff/publications/import/").content.decode()
    refused = logged_in(desk.signer).post("/staff/publications/import/", {
        "agency": desk.agency.pk, "catalogue": SimpleUploadedFile("目录.csv", csv_bytes(GOOD_ROWS[1:2])),
        "already_published": "on"})
    assert refused.status_code == 302 and Publication.objects.get().state == State.REVIEW  # the box is not there
    Publication.objects.all().delete()
    client = logged_in(admin)
    assert 'name="already_published"' in client.get("/staff/publications/import/").content.decode()
    with desk.commit(execute=True):
        response = client.post("/staff/publications/import/", {
            "agency": desk.agency.pk, "catalogue": SimpleUploadedFile("目录.csv", csv_bytes(GOOD_ROWS[1:2])),
            "already_published": "on"})
    assert response.status_code == 302 and "state=published" in response["Location"]
    assert Publication.objects.get().is_visible()


class TestCommandLine:
    @pytest.fixture(autouse=True)
    def django_ready(self, monkeypatch):
        monkeypatch.setattr("gongkai.cli.web.setup_django", lambda **kwargs: None)

    def test_already_published_needs_an_agency_admin_named_with_by(self, desk, admin, tmp_path, capsys):
        path = tmp_path / "目录.csv"
        path.write_bytes(csv_bytes(GOOD_ROWS[1:2]))
        command = ["catalogue", "import", str(path), "--agency", desk.agency.full_name, "--already-published"]
        assert gongkai_main(command) == 2
        assert "机构管理员" in capsys.readouterr().err
        assert gongkai_main([*command, "--by", desk.signer.username]) == 2
        assert "机构管理员" in capsys.readouterr().err
        assert gongkai_main([*command, "--by", "nobody"]) == 2
        assert not Publication.objects.exists()
        with desk.commit(execute=True):
            assert gongkai_main([*command, "--by", admin.username]) == 0
        assert "已作为已发布的历史信息导入 1 条信息" in capsys.readouterr().out
        assert Publication.objects.get().is_visible()
        assert PublicationEvent.objects.get(action="import").acting_user == admin


def test_a_correction_of_an_item_withdrawn_meanwhile_does_not_take_effect(desk):
    publication = desk.publish(desk.draft())
    with desk.commit(execute=True):
        revision = services.publication_correct(publication=publication, acting_user=desk.writer, comment="错字",
                                                title="新标题")
        revision = services.publication_approve(publication=revision, acting_user=desk.reviewer)
        revision = services.publication_clear(publication=revision, acting_user=desk.secrecy)
    desk.withdraw(publication)
    with pytest.raises(ValidationError, match="已不在发布状态"):
        services.publication_publish(publication=revision, acting_user=desk.signer)
    revision.refresh_from_db()
    publication.refresh_from_db()
    assert revision.state == State.SIGNING and publication.title != "新标题" and not publication.is_visible()
