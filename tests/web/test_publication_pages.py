"""Staff pages of 主动公开: writing a draft with attachments, each review step by its role, refusals, escaping."""

import re
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from tests.web import test_disclosure_fixtures as fixtures

from gongkai.web.disclosure.models import Article20Item, Genre, Publication, Validity

State = Publication.State
desk = fixtures.desk  # the shared fixture
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
XSS = '<script>alert("x")</script>'


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def draft_data(desk, **overrides):
    data = {
        "agency": desk.agency.pk, "title": "关于调整城乡低保标准的通知", "doc_number": "测民发〔2024〕3号",
        "written_on": "2024-09-01", "formed_on": "2024-09-02", "topic": "民政", "column": "社会救助",
        "genre": Genre.NORMATIVE_DOCUMENT, "article20_item": Article20Item.REGULATIONS,
        "catalogue_domain": "social_assistance", "catalogue_matter": "最低生活保障", "validity": "",
        "body": "对决定不服的，可以申请行政复议。", "interprets": "", "publish_at": "",
    }
    data.update(overrides)
    return data


def step_buttons(html: str) -> set[str]:
    return set(re.findall(r'<button type="submit" name="step" value="([a-z_]+)"', html))


def post_step(client, publication, step, **data):
    return client.post(f"/staff/publications/{publication.pk}/steps/{step}/",
                       {f"{step}-{key}": value for key, value in data.items()})


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


class TestWritingThroughThePage:
    def test_a_writer_creates_a_draft_with_every_catalogue_field_and_an_attachment(self, desk):
        client = logged_in(desk.writer)
        policy = desk.draft("关于城乡低保的规定")
        data = draft_data(desk, interprets=policy.pk, publish_at="2099-01-02T09:30",
                          attachments=SimpleUploadedFile("标准表.pdf", PDF, content_type="application/pdf"))
        response = client.post("/staff/publications/new/", data)
        publication = Publication.objects.exclude(pk=policy.pk).get()
        assert response.status_code == 302 and response["Location"] == f"/staff/publications/{publication.pk}/"
        assert publication.state == State.DRAFT and publication.agency == desk.agency
        assert (publication.doc_number, publication.written_on, publication.formed_on) == (
            "测民发〔2024〕3号", date(2024, 9, 1), date(2024, 9, 2))
        assert (publication.catalogue_domain, publication.catalogue_matter, publication.column) == (
            "social_assistance", "最低生活保障", "社会救助")
        assert publication.validity == Validity.IN_FORCE  # a 规范性文件 is in force unless said otherwise
        assert publication.interprets == policy
        assert timezone.localtime(publication.publish_at).strftime("%Y-%m-%d %H:%M") == "2099-01-02 09:30"
        attachment = publication.attachments.get()
        assert (attachment.name, attachment.kind, bytes(attachment.content)) == ("标准表.pdf", "pdf", PDF)
        page = client.get(response["Location"]).content.decode()
        assert "标准表.pdf" in page and step_buttons(page) == {"submit"}
        download = client.get(f"/staff/publications/attachments/{attachment.pk}/")
        assert download.status_code == 200 and download.content == PDF
        assert download["Content-Type"] == "application/pdf"

    def test_the_writer_edits_the_draft_and_history_names_the_changed_fields(self, desk):
        publication = desk.draft()
        client = logged_in(desk.writer)
        form = client.get(f"/staff/publications/{publication.pk}/edit/")
        assert form.status_code == 200 and publication.title in form.content.decode()
        data = draft_data(desk, title="改过的标题", body=publication.body.replace("\n", "\r\n"),
                          doc_number="", written_on="", topic="", column="", catalogue_domain="", catalogue_matter="",
                          validity="in_force")
        del data["agency"]
        response = client.post(f"/staff/publications/{publication.pk}/edit/", data)
        assert response.status_code == 302
        publication.refresh_from_db()
        assert publication.title == "改过的标题"
        event = publication.events.get(action="update")
        assert event.data["fields"] == ["title"] and event.acting_user == desk.writer

    @pytest.mark.parametrize("name, content, expected", [
        ("病毒.pdf", b"MZ\x90\x00 not a pdf", "附件「病毒.pdf」的内容不是可接受的文件类型"),
        ("说明.exe", PDF, "附件「说明.exe」的类型不受支持"),
        ("大文件.pdf", PDF + b"x" * 2048, "附件「大文件.pdf」有"),
        ("长" * 200 + ".pdf", PDF, "的文件名超过 200 个字符"),
    ])
    def test_a_bad_attachment_is_named_and_nothing_else_is_lost(self, desk, settings, name, content, expected):
        settings.GONGKAI_ATTACHMENT_MAX_BYTES = 1024
        client = logged_in(desk.writer)
        data = draft_data(desk, title="保留我的标题", attachments=[
            SimpleUploadedFile("好的.pdf", PDF), SimpleUploadedFile(name, content)])
        response = client.post("/staff/publications/new/", data)
        page = response.content.decode()
        assert response.status_code == 200
        assert expected in page
        assert 'value="保留我的标题"' in page and "对决定不服的，可以申请行政复议。" in page
        assert 'value="测民发〔2024〕3号"' in page
        assert not Publication.objects.exists()

    def test_a_bad_attachment_on_edit_leaves_the_stored_draft_as_it_was(self, desk):
        publication = desk.draft()
        data = draft_data(desk, title="新标题", attachments=SimpleUploadedFile("图.png", b"not a png"))
        del data["agency"]
        response = logged_in(desk.writer).post(f"/staff/publications/{publication.pk}/edit/", data)
        assert response.status_code == 200 and "附件「图.png」" in response.content.decode()
        publication.refresh_from_db()
        assert publication.title == "关于做好城乡低保工作的通知" and not publication.attachments.exists()

    def test_the_writer_removes_a_wrong_attachment_from_a_draft_only(self, desk):
        publication = desk.draft()
        fixtures.services.attachment_add(publication=publication, acting_user=desk.writer, name="错的.pdf", content=PDF)
        attachment = publication.attachments.get()
        assert logged_in(desk.reviewer).post(f"/staff/publications/attachments/{attachment.pk}/remove/").status_code == 403
        client = logged_in(desk.writer)
        assert 'aria-label="删除附件 错的.pdf"' in client.get(f"/staff/publications/{publication.pk}/").content.decode()
        response = client.post(f"/staff/publications/attachments/{attachment.pk}/remove/")
        assert response.status_code == 302 and not publication.attachments.exists()
        event = publication.events.get(action="remove_attachment")
        assert event.comment == "删除附件「错的.pdf」" and event.acting_user == desk.writer
        assert "删除附件「错的.pdf」" in client.get(response["Location"]).content.decode()

        fixtures.services.attachment_add(publication=publication, acting_user=desk.writer, name="对的.pdf", content=PDF)
        kept = publication.attachments.get()
        desk.publish(publication)
        page = client.get(client.post(f"/staff/publications/attachments/{kept.pk}/remove/")["Location"])
        assert any("只能在撰写环节删除附件" in message for message in messages_of(page))
        assert publication.attachments.filter(pk=kept.pk).exists()
        assert client.get(f"/staff/publications/attachments/{kept.pk}/remove/").status_code == 405

    def test_missing_fields_get_chinese_errors(self, desk):
        response = logged_in(desk.writer).post("/staff/publications/new/", draft_data(desk, title="", formed_on=""))
        page = response.content.decode()
        assert response.status_code == 200 and page.count("这个字段是必填项") >= 2
        assert not Publication.objects.exists()

    def test_validity_on_a_notice_and_a_past_release_time_are_refused(self, desk):
        past = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
        response = logged_in(desk.writer).post("/staff/publications/new/", draft_data(
            desk, genre=Genre.NOTICE, article20_item=Article20Item.OTHER, validity="in_force", publish_at=past))
        page = response.content.decode()
        assert "只有规章和行政规范性文件标注有效性" in page and "发布时间不能早于现在" in page
        assert not Publication.objects.exists()

    def test_only_writers_may_open_the_form(self, desk):
        assert logged_in(desk.reviewer).get("/staff/publications/new/").status_code == 403
        publication = desk.draft()
        response = logged_in(desk.reviewer).post(f"/staff/publications/{publication.pk}/edit/",
                                                 draft_data(desk, title="审核人改的"))
        assert response.status_code == 403
        publication.refresh_from_db()
        assert publication.title != "审核人改的"


class TestReviewSteps:
    def test_each_step_by_its_role_through_the_pages(self, desk):
        publication = desk.draft()
        url = f"/staff/publications/{publication.pk}/"
        path = [(desk.writer, "submit", {}, State.REVIEW),
                (desk.reviewer, "approve", {"comment": "同意公开"}, State.SECRECY_REVIEW),
                (desk.secrecy, "clear", {"comment": "不涉密"}, State.SIGNING),
                (desk.signer, "publish", {"comment": "签发", "publish_at": ""}, State.PUBLISHED)]
        for user, step, data, state in path:
            client = logged_in(user)
            assert step in step_buttons(client.get(url).content.decode())
            with desk.commit(execute=True):
                response = post_step(client, publication, step, **data)
            assert response.status_code == 302
            publication.refresh_from_db()
            assert publication.state == state
        assert publication.is_visible()
        history = logged_in(desk.writer).get(url).content.decode()
        for text in ["d_reviewer", "同意公开", "d_secrecy", "不涉密", "d_signer", "签发并发布", "保密审查 → 签发"]:
            assert text in history

    @pytest.mark.parametrize("state_steps, user_attr, buttons", [
        (0, "writer", {"submit"}), (0, "reviewer", set()), (0, "signer", set()),
        (1, "writer", set()), (1, "reviewer", {"approve", "return"}), (1, "secrecy", set()),
        (2, "reviewer", set()), (2, "secrecy", {"clear", "return"}),
        (3, "secrecy", set()), (3, "signer", {"publish", "return"}),
    ])
    def test_only_the_steps_the_role_allows_are_offered(self, desk, state_steps, user_attr, buttons):
        publication = desk.draft()
        runners = [lambda p: fixtures.services.publication_submit(publication=p, acting_user=desk.writer),
                   lambda p: fixtures.services.publication_approve(publication=p, acting_user=desk.reviewer),
                   lambda p: fixtures.services.publication_clear(publication=p, acting_user=desk.secrecy)]
        for run in runners[:state_steps]:
            publication = run(publication)
        page = logged_in(getattr(desk, user_attr)).get(f"/staff/publications/{publication.pk}/")
        assert page.status_code == 200
        assert step_buttons(page.content.decode()) == buttons

    def test_a_post_by_the_wrong_role_is_forbidden_and_changes_nothing(self, desk):
        publication = desk.to_signing(desk.draft())
        response = post_step(logged_in(desk.reviewer), publication, "publish", comment="", publish_at="")
        assert response.status_code == 403
        publication.refresh_from_db()
        assert publication.state == State.SIGNING
        assert not publication.events.filter(action="publish").exists()

    def test_a_step_from_the_wrong_state_is_a_message_not_an_error(self, desk):
        publication = desk.draft()
        client = logged_in(desk.reviewer)
        response = post_step(client, publication, "approve", comment="")
        assert response.status_code == 302
        page = client.get(response["Location"])
        assert any("不能审核通过" in message for message in messages_of(page))
        publication.refresh_from_db()
        assert publication.state == State.DRAFT

    def test_an_unknown_step_is_404(self, desk):
        publication = desk.draft()
        assert post_step(logged_in(desk.writer), publication, "delete").status_code == 404

    def test_return_and_withdraw_need_a_reason(self, desk):
        publication = desk.to_signing(desk.draft())
        client = logged_in(desk.signer)
        page = client.get(post_step(client, publication, "return", comment="  ")["Location"])
        assert any("请写明理由" in message for message in messages_of(page))
        post_step(client, publication, "return", comment="文号有误")
        publication.refresh_from_db()
        assert publication.state == State.DRAFT
        assert publication.events.get(action="return").comment == "文号有误"

    def test_scheduled_release_proposed_by_the_writer_is_offered_to_the_signer(self, desk):
        when = (timezone.localtime() + timedelta(days=3)).replace(second=0, microsecond=0)
        publication = desk.to_signing(desk.draft(publish_at=when))
        client = logged_in(desk.signer)
        page = client.get(f"/staff/publications/{publication.pk}/").content.decode()
        assert f'value="{when:%Y-%m-%dT%H:%M}"' in page
        with desk.commit(execute=True):
            post_step(client, publication, "publish", comment="定时", publish_at=f"{when:%Y-%m-%dT%H:%M}")
        publication.refresh_from_db()
        assert publication.state == State.PUBLISHED and publication.publish_at == when
        assert not publication.is_visible()  # not before its time
        assert "定时发布，尚未公开" in client.get(f"/staff/publications/{publication.pk}/").content.decode()

    def test_withdraw_correct_and_validity_by_the_signer(self, desk):
        publication = desk.publish(desk.draft())
        client = logged_in(desk.signer)
        assert {"withdraw", "correct", "set_validity"} <= step_buttons(
            client.get(f"/staff/publications/{publication.pk}/").content.decode())
        correction = {"comment": "标题有错字", "title": "关于做好城乡低保工作的通知（更正）"}
        for name in ("doc_number", "body", "written_on", "topic", "column", "catalogue_domain", "catalogue_matter",
                     "article20_item", "genre"):
            value = getattr(publication, name)
            correction[name] = "" if value is None else value
        post_step(logged_in(desk.writer), publication, "correct", **correction)  # the 承办 writes the correction
        revision = publication.revisions.get()
        assert revision.state == State.REVIEW and revision.title.endswith("（更正）")
        publication.refresh_from_db()
        assert not publication.title.endswith("（更正）")  # public as it was until the correction is signed
        with desk.commit(execute=True):
            post_step(logged_in(desk.reviewer), revision, "approve", comment="")
            post_step(logged_in(desk.secrecy), revision, "clear", comment="")
            post_step(client, revision, "publish", comment="")
        publication.refresh_from_db()
        assert publication.title.endswith("（更正）")
        event = publication.events.get(action="correct")
        assert event.comment == "标题有错字" and set(event.data["new"]) == {"title"}

        too_early = client.get(post_step(client, publication, "set_validity", validity="repealed",
                                         effective_on="2020-01-01", comment="")["Location"])
        assert any("不能早于上一次变化" in message for message in messages_of(too_early))
        today = timezone.localdate()
        post_step(client, publication, "set_validity", validity="repealed", effective_on=today.isoformat(),
                  comment="已废止")
        publication.refresh_from_db()
        assert publication.validity == Validity.REPEALED
        assert publication.validity_changes.last().effective_on == today

        with desk.commit(execute=True):
            post_step(client, publication, "withdraw", comment="政策已调整")
        publication.refresh_from_db()
        assert publication.state == State.WITHDRAWN and publication.withdrawn_reason == "政策已调整"
        page = client.get(f"/staff/publications/{publication.pk}/").content.decode()
        assert "政策已调整" in page and "签发并发布" in page  # the history stays
        assert step_buttons(page) == set()

    def test_validity_is_not_offered_for_a_notice(self, desk):
        publication = desk.publish(desk.draft(genre=Genre.NOTICE, article20_item=Article20Item.OTHER))
        page = logged_in(desk.signer).get(f"/staff/publications/{publication.pk}/").content.decode()
        assert "set_validity" not in step_buttons(page)


class TestVisibility:
    def test_another_agencys_user_gets_404_everywhere(self, desk):
        publication = desk.draft()
        fixtures.services.attachment_add(publication=publication, acting_user=desk.writer, name="a.pdf", content=PDF)
        attachment = publication.attachments.get()
        client = logged_in(desk.outsider)
        assert client.get(f"/staff/publications/{publication.pk}/").status_code == 404
        assert client.get(f"/staff/publications/{publication.pk}/edit/").status_code == 404
        assert post_step(client, publication, "submit").status_code == 404
        assert client.get(f"/staff/publications/attachments/{attachment.pk}/").status_code == 404
        assert client.post(f"/staff/publications/attachments/{attachment.pk}/remove/").status_code == 404
        assert publication.attachments.exists()
        assert publication.title not in client.get("/staff/publications/").content.decode()

    def test_the_secrecy_reviewer_without_a_membership_sees_the_agencys_items(self, desk):
        publication = desk.draft()
        page = logged_in(desk.secrecy).get("/staff/publications/").content.decode()
        assert publication.title in page

    def test_pages_need_a_login(self, desk):
        publication = desk.draft()
        for url in ["/staff/publications/", f"/staff/publications/{publication.pk}/", "/staff/publications/new/"]:
            response = Client().get(url)
            assert response.status_code == 302 and "/staff/login/" in response["Location"]

    def test_title_and_body_are_escaped(self, desk):
        publication = desk.draft(title=f"标题{XSS}", body=f"正文{XSS}")
        client = logged_in(desk.writer)
        for url in [f"/staff/publications/{publication.pk}/", "/staff/publications/",
                    f"/staff/publications/{publication.pk}/edit/"]:
            page = client.get(url).content.decode()
            assert XSS not in page and "&lt;script&gt;" in page


class TestList:
    def test_filters_by_state_and_genre_and_flags_late_items(self, desk):
        late = desk.draft("逾期的草稿", formed_on=date(2024, 9, 2))
        today = timezone.localdate()
        fresh = desk.draft("今天形成的通知", formed_on=today, genre=Genre.NOTICE, article20_item=Article20Item.OTHER)
        published = desk.publish(desk.draft("已发布的规范性文件", formed_on=today))
        client = logged_in(desk.writer)
        page = client.get("/staff/publications/").content.decode()
        row = re.search(r"<tr class=\"overdue\">(.*?)</tr>", page, re.S).group(1)
        assert late.title in row and late.disclosure_due_on().isoformat() in row and "逾期" in row
        assert page.count('<tr class="overdue">') == 1
        drafts = client.get("/staff/publications/?state=draft").content.decode()
        assert late.title in drafts and fresh.title in drafts and published.title not in drafts
        notices = client.get("/staff/publications/?genre=notice").content.decode()
        assert fresh.title in notices and late.title not in notices
        bogus = client.get("/staff/publications/?state=nonsense&genre=<x>")
        assert bogus.status_code == 200 and published.title in bogus.content.decode()

    def test_pagination_keeps_the_filter(self, desk, settings):
        for number in range(27):
            desk.draft(f"草稿{number:02d}")
        client = logged_in(desk.writer)
        first = client.get("/staff/publications/?state=draft").content.decode()
        assert "第 1 / 2 页" in first and "state=draft&amp;page=2" in first
        second = client.get("/staff/publications/?state=draft&page=2").content.decode()
        assert second.count("/staff/publications/") >= 2 and "草稿00" in second


def test_the_history_lists_user_time_and_comment(desk):
    publication = desk.publish(desk.draft())
    page = logged_in(desk.writer).get(f"/staff/publications/{publication.pk}/").content.decode()
    table = page[page.index('id="publication-history"'):]
    for event in publication.events.all():
        assert timezone.localtime(event.created_at).strftime("%Y-%m-%d %H:%M") in table
        assert event.acting_user.get_username() in table
        if event.comment:
            assert event.comment in table
