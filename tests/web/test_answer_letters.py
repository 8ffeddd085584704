"""答复告知书 and the 补正、延期、收费 notices: the article cited per outcome, DOCX and PDF that
give the case's data back, agency wording that overrides the default and is refused when
broken, and downloads only for those handling the case, each one logged."""

import io
import re
import shutil
import subprocess
from datetime import date

import docx
import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from docx.oxml.ns import qn
from tests.web.factories import MembershipFactory

from gongkai.report import taxonomy as tx
from gongkai.web.cases import fees
from gongkai.web.cases import services as s
from gongkai.web.cases.letters.basis import NOTICE_BASIS, OUTCOME_BASIS, basis_of, letter_kind_of_outcome
from gongkai.web.cases.letters.body import PLACEHOLDERS, default_body, validate_body
from gongkai.web.cases.letters.compose import LetterUnavailable, compose_letter, document_number
from gongkai.web.cases.letters.documents import letter_docx, letter_html, letter_pdf
from gongkai.web.cases.models import Application, LetterKind, ReplyTemplate
from gongkai.web.staff.models import PersonalDataAccess

ID_NUMBER = "110101199001011234"
SOUGHT = "某路段拆迁补偿方案"
XSS = '<script>alert("x")</script>'


def register(world, *, name="张三", received_on=date(2024, 9, 27), agency=None, user=None):
    return s.application_register(
        agency=agency or world.street, acting_user=user or world.users["intake"], applicant_type="natural_person",
        applicant_name=name, channel="in_person", received_on=received_on, information_sought=SOUGHT,
        applicant_id_number=ID_NUMBER, applicant_phone="13912345678", delivery_form="电子邮件",
    ).application


def drafted(world, outcome, note="", *, withheld_reason="", users=None, **kwargs) -> Application:
    u = users or world.users
    application = register(world, user=u["intake"], **kwargs)
    application = s.application_start_review(application=application, acting_user=u["intake"])
    application = s.application_accept(application=application, acting_user=u["handler"])
    return s.application_draft_reply(application=application, acting_user=u["handler"], outcome=outcome, note=note,
                                     withheld_reason=withheld_reason)


def flat(text: str) -> str:
    """Text without whitespace: PDF extraction breaks lines wherever the page does."""
    return re.sub(r"\s+", "", text)


def docx_text(data: bytes) -> str:
    return "\n".join(paragraph.text for paragraph in docx.Document(io.BytesIO(data)).paragraphs)


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(data)
    return subprocess.run([shutil.which("pdftotext"), "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


# ---------------------------------------------------------------- the table outcome → article → wording

class TestBasisTable:
    def test_every_outcome_of_table_three_has_a_basis_and_a_letter_kind(self):
        assert set(OUTCOME_BASIS) == set(tx.OUTCOME_KEYS)
        for outcome in tx.OUTCOME_KEYS:
            assert letter_kind_of_outcome(outcome) in LetterKind.values
            assert OUTCOME_BASIS[outcome].reason

    @pytest.mark.parametrize(("outcome", "article"), [
        ("granted", "第三十六条第（二）项"),
        ("partially_granted", "第三十七条"),
        ("withheld.state_secret", "第三十六条第（三）项、第十四条"),
        ("withheld.prohibited_by_law", "第三十六条第（三）项、第十四条"),
        ("withheld.security_stability", "第三十六条第（三）项、第十四条"),
        ("withheld.third_party_rights", "第三十六条第（三）项、第十五条"),
        ("withheld.internal_affairs", "第三十六条第（三）项、第十六条第一款"),
        ("withheld.process_info", "第三十六条第（三）项、第十六条第二款"),
        ("withheld.enforcement_case_file", "第三十六条第（三）项、第十六条第二款"),
        ("unable.not_held", "第三十六条第（四）项"),
        ("unable.needs_creation", "第三十八条"),
        ("unable.unclear_after_correction", "第三十条"),
        ("not_processed.petition_complaint", "第三十九条第一款"),
        ("not_processed.duplicate", "第三十六条第（六）项"),
        ("not_processed.publication", "第三十九条第二款"),
        ("not_processed.excessive", "第三十五条"),
        ("other.no_correction", "第三十条"),
        ("other.unpaid_fee", "第四十二条"),
    ])
    def test_it_cites_the_article_of_the_2019_regulation(self, outcome, article):
        basis = OUTCOME_BASIS[outcome]
        assert basis.article == article
        assert basis.citation == f"根据《中华人民共和国政府信息公开条例》{article}" + (
            "和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）的规定" if outcome == "other.unpaid_fee" else "的规定")

    def test_grounds_without_an_explicit_article_cite_none(self):
        for outcome in ("not_processed.confirm_or_reissue", "other.other"):
            assert OUTCOME_BASIS[outcome].article == ""
            assert OUTCOME_BASIS[outcome].citation == "根据《中华人民共和国政府信息公开条例》的有关规定"

    def test_the_notices_cite_their_articles(self):
        assert {kind: basis.article for kind, basis in NOTICE_BASIS.items()} == {
            "correction": "第三十条", "extension": "第三十三条第二款", "fee": "第四十二条"}
        assert "国办函〔2020〕109号" in basis_of("fee").citation

    def test_every_default_body_is_valid(self):
        for kind in LetterKind.values:
            validate_body(default_body(kind))


# ---------------------------------------------------------------- composed letters

class TestAnswerLetter:
    @pytest.mark.parametrize("outcome", tx.OUTCOME_KEYS)
    def test_it_names_the_article_and_the_case_data(self, world, outcome):
        reason = "第3页涉及第三方个人信息，已作遮盖" if outcome == "partially_granted" else ""
        application = drafted(world, outcome, withheld_reason=reason)
        letter = compose_letter(application, "reply")
        text = letter.text()
        assert letter.kind == outcome.split(".")[0]
        assert letter.title == "政府信息公开申请答复告知书"
        assert OUTCOME_BASIS[outcome].citation in text
        assert OUTCOME_BASIS[outcome].reason in text
        for value in ("测试区东街道办事处", application.number, "张三：", SOUGHT, "2024年9月27日",
                      document_number(application, letter.kind)):
            assert value in text
        assert reason in text
        # Remedies: 行政复议 within 60 days to the parent government, 行政诉讼 within 6 months.
        assert "六十日内向测试区人民政府申请行政复议" in text and "六个月内依法向人民法院提起行政诉讼" in text
        assert ID_NUMBER not in text and "13912345678" not in text

    def test_the_document_number_follows_the_application_number(self, world):
        application = drafted(world, "granted")
        sequence = int(application.number.rsplit("-", 1)[1])
        application.agency.short_name = "东街"
        assert document_number(application, "granted") == f"东街公开答〔2024〕{sequence}号"
        assert document_number(application, "fee") == f"东街公开费〔2024〕{sequence}号"

    def test_no_letter_before_there_is_something_to_say(self, world):
        application = register(world)
        for letter_type in ("reply", "correction", "extension", "fee"):
            with pytest.raises(LetterUnavailable):
                compose_letter(application, letter_type)
        with pytest.raises(LetterUnavailable):
            compose_letter(application, "nonsense")

    def test_a_draft_returned_for_rework_has_no_letter_until_drafted_again(self, world):
        application = drafted(world, "granted")
        application = s.application_return_for_rework(application=application, acting_user=world.users["reviewer"],
                                                      reason="请核实是否涉及第三方")
        with pytest.raises(LetterUnavailable):
            compose_letter(application, "reply")
        application = s.application_draft_reply(application=application, acting_user=world.users["handler"],
                                                outcome="withheld.third_party_rights")
        assert "第十五条" in compose_letter(application, "reply").text()

    def test_an_abandoned_application_gets_its_letter_citing_article_30(self, world):
        u = world.users
        application = s.application_start_review(application=register(world), acting_user=u["intake"])
        application = s.application_request_correction(application=application, acting_user=u["intake"],
                                                       requested_on=date(2024, 9, 30))
        application = s.application_abandon(application=application, acting_user=u["intake"], on=date(2024, 11, 1))
        letter = compose_letter(application, "reply")
        assert letter.kind == "other" and "视为放弃申请" in letter.text()
        assert letter.letter_date == date(2024, 11, 1)  # the day it was closed
        assert OUTCOME_BASIS["other.no_correction"].citation in letter.text()

    def test_the_docx_opens_and_contains_the_letter_with_cjk_fonts(self, world):
        application = drafted(world, "withheld.third_party_rights", "涉及第三方个人隐私")
        letter = compose_letter(application, "reply")
        data = letter_docx(letter)
        text = docx_text(data)
        for paragraph in letter.paragraphs:
            assert paragraph in text
        assert "第三十六条第（三）项、第十五条" in text and application.number in text and "张三：" in text
        assert letter.remedies in text and "涉及第三方个人隐私" in text
        document = docx.Document(io.BytesIO(data))
        fonts = {run._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) for p in document.paragraphs for run in p.runs}
        assert fonts <= {"仿宋", "宋体"} and "仿宋" in fonts

    def test_the_pdf_is_a_pdf_whose_text_is_the_letter(self, world, tmp_path):
        application = drafted(world, "partially_granted", withheld_reason="第二部分涉及商业秘密，不予公开")
        letter = compose_letter(application, "reply")
        data = letter_pdf(letter)
        assert data.startswith(b"%PDF")
        text = flat(pdf_text(data, tmp_path))
        for value in ("政府信息公开申请答复告知书", application.number, "张三：", SOUGHT, "第三十七条",
                      "第二部分涉及商业秘密，不予公开", "六十日内", "2024年9月27日", letter.document_number):
            assert flat(value) in text

    def test_an_applicant_name_with_markup_is_escaped_in_the_html_and_printed_as_text(self, world, tmp_path):
        application = drafted(world, "granted", name=XSS)
        Application.objects.filter(pk=application.pk).update(information_sought="<img src=x onerror=alert(1)>")
        application.refresh_from_db()
        letter = compose_letter(application, "reply")
        html = letter_html(letter)
        assert "<script>" not in html and "<img" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
        assert flat(XSS) in flat(pdf_text(letter_pdf(letter), tmp_path))


class TestNotices:
    def test_the_correction_notice_cites_article_30_with_its_period(self, world):
        application = register(world)
        application = s.application_start_review(application=application, acting_user=world.users["intake"])
        application = s.application_request_correction(application=application, acting_user=world.users["intake"],
                                                       requested_on=date(2024, 9, 29))
        letter = compose_letter(application, "correction")
        text = letter.text()
        assert letter.title == "政府信息公开申请补正告知书" and letter.remedies == ""
        # 15 working days after 2024-09-29: 9-30, then 国庆 (10-1 to 10-7) is skipped and Saturday
        # 10-12 is a 调休 working day — 10-8 … 10-24.
        assert "第三十条" in text and "2024年10月24日前" in text and "视为放弃申请" in text
        assert letter.letter_date == date(2024, 9, 29)

    def test_the_extension_notice_gives_the_new_due_date(self, world):
        application = register(world)
        u = world.users
        application = s.application_request_extension(application=application, acting_user=u["handler"], days=10,
                                                      reason="需要检索的档案数量较大")
        application = s.application_approve_extension(application=application, acting_user=u["signer"],
                                                      approved_on=date(2024, 10, 20))
        letter = compose_letter(application, "extension")
        text = letter.text()
        due = application.reply_deadline(today=date(2024, 10, 20)).due
        assert "第三十三条第二款" in text and "延长10个工作日" in text and "需要检索的档案数量较大" in text
        assert f"{due.year}年{due.month}月{due.day}日" in text

    def test_the_fee_notice_gives_amount_arithmetic_and_payment_period(self, world):
        application = register(world)
        u = world.users
        application = s.application_start_review(application=application, acting_user=u["intake"])
        application = s.application_accept(application=application, acting_user=u["handler"])
        fees.application_issue_fee_notice(application=application, acting_user=u["handler"], basis="per_page",
                                          pages=31, issued_on=date(2024, 10, 8))
        letter = compose_letter(application, "fee")
        text = letter.text()
        notice = application.fee_notices.get()
        assert "第四十二条" in text and "国办函〔2020〕109号" in text
        assert "信息处理费10元" in text and "第 31 页 × 10 元 = 10 元" in text
        assert f"{notice.due_on.year}年{notice.due_on.month}月{notice.due_on.day}日前" in text
        assert "20个工作日内" in text and letter.letter_date == date(2024, 10, 8)


# ---------------------------------------------------------------- agency wording

class TestAgencyTemplates:
    def test_an_agency_template_overrides_the_default_for_that_agency_only(self, world):
        template = ReplyTemplate(agency=world.street, kind="withheld",
                                 body="{{ applicant_name }}同志：您要的“{{ information_sought }}”不能公开。\n"
                                      "{% if note %}说明：{{ note }}{% endif %}\n依据{{ article }}。")
        template.full_clean()
        template.save()
        mine = drafted(world, "withheld.internal_affairs", "属于内部人事信息")
        letter = compose_letter(mine, "reply")
        assert letter.paragraphs == (f"张三同志：您要的“{SOUGHT}”不能公开。", "说明：属于内部人事信息",
                                     "依据第三十六条第（三）项、第十六条第一款。")
        assert letter.remedies  # the frame keeps the remedies whatever the wording

        west_handler = MembershipFactory(agency=world.other_street, role="handler").user
        theirs = drafted(world, "withheld.internal_affairs", agency=world.other_street,
                         users={"intake": world.other_intake, "handler": west_handler})
        assert "同志" not in compose_letter(theirs, "reply").text()
        granted = drafted(world, "granted")  # another kind of the same agency: still the default
        assert compose_letter(granted, "reply").paragraphs[0].startswith("本机关于2024年9月27日收到")

    @pytest.mark.parametrize(("body", "message"), [
        ("{% if note %}没有结束", "第 1 行有语法错误：标签「if」没有结束，缺少对应的 {% endif %}"),
        ("第一行\n{{ note|shout }}", "第 2 行有语法错误：未知的过滤器「shout」"),
        ("{{ note._meta }}", "占位符「note._meta」不能以下划线开头"),
        ("{% endif %}", "不支持或多余的模板标签「endif」"),
        ("您好 {{ applicant_name ", "第 1 行：占位符或标签没有闭合"),
        ("第一行\n{% if note }}x", "第 2 行：占位符或标签没有闭合"),
        ("身份证 {{ applicant_id_number }}", "未知的占位符「applicant_id_number」"),
        ("{% if secret %}x{% endif %}", "未知的占位符「secret」"),
        ("{{ note|default:password }}", "未知的占位符「password」"),
        ('{% include "staff/base.html" %}', "不支持模板标签「include」"),
        ("{% debug %}", "不支持模板标签「debug」"),
        ("{% load static %}", "不能加载标签库「static」"),
        ("{% for x in note %}{{ x }}{% endfor %}", "不支持模板标签「for」"),
        ("{{ received_on|date:'Y年' }}{{ fee_amount|divisibleby:0 }}", "试填模板时出错"),
        ("   ", "不能为空"),
    ])
    def test_a_broken_template_is_refused_with_a_chinese_message(self, world, body, message):
        template = ReplyTemplate(agency=world.street, kind="granted", body=body)
        with pytest.raises(ValidationError) as refused:
            template.full_clean()
        assert message in "；".join(refused.value.message_dict["body"])

    def test_the_admin_refuses_a_broken_edit_and_keeps_the_stored_wording(self, world, admin_client):
        stored = ReplyTemplate.objects.create(agency=world.street, kind="granted", body="原有措辞：{{ number }}")
        page = admin_client.post(f"/admin/cases/replytemplate/{stored.pk}/change/",
                                 {"agency": world.street.pk, "kind": "granted", "body": "{{ applicant_phone }}"})
        assert page.status_code == 200
        assert "未知的占位符「applicant_phone」" in page.content.decode()
        stored.refresh_from_db()
        assert stored.body == "原有措辞：{{ number }}"
        add_page = admin_client.get("/admin/cases/replytemplate/add/").content.decode()
        assert all(f"{{{{ {name} }}}}" in add_page for name in PLACEHOLDERS)

    def test_the_admin_lists_only_the_templates_of_agencies_the_user_sees(self, world):
        from django.contrib.auth.models import Permission

        ReplyTemplate.objects.create(agency=world.street, kind="granted", body="东：{{ number }}")
        ReplyTemplate.objects.create(agency=world.other_street, kind="granted", body="西：{{ number }}")
        admin_user = world.users["agency_admin"]
        admin_user.is_staff = True
        admin_user.save()
        admin_user.user_permissions.add(*Permission.objects.filter(codename__endswith="replytemplate"))
        client = Client()
        client.force_login(admin_user)
        listing = client.get("/admin/cases/replytemplate/")
        assert listing.status_code == 200
        assert [t.agency for t in listing.context["cl"].result_list] == [world.street]


    def test_the_demo_agency_admin_may_edit_the_wording_and_the_handler_may_not(self, world):
        from django.contrib.auth import get_user_model

        from gongkai.web.demo.load import create_logins

        create_logins(world.street, world.district)
        users = get_user_model().objects
        admin, handler = Client(), Client()
        admin.force_login(users.get(username="demo_agency_admin"))
        handler.force_login(users.get(username="demo_handler"))
        response = admin.post("/admin/cases/replytemplate/add/", {
            "agency": world.street.pk, "kind": "fee", "body": "请于{{ fee_due_on|date:\"Y年n月j日\" }}前缴纳{{ fee_amount }}元。"})
        assert response.status_code == 302
        assert ReplyTemplate.objects.get(agency=world.street, kind="fee").body.startswith("请于")
        assert handler.get("/admin/cases/replytemplate/add/").status_code == 403


# ---------------------------------------------------------------- downloads on the staff pages

class TestDownloads:
    def url(self, application, letter_type="reply", extension="docx"):
        return f"/staff/cases/{application.pk}/letters/{letter_type}.{extension}"

    def test_a_handler_downloads_docx_and_pdf_and_each_download_is_logged(self, world):
        application = drafted(world, "unable.not_held")
        client = Client()
        client.force_login(world.users["handler"])
        page = client.get(f"/staff/cases/{application.pk}/").content.decode()
        assert "下载答复告知书" in page and self.url(application) in page and self.url(application, "reply", "pdf") in page

        response = client.get(self.url(application))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert "attachment" in response["Content-Disposition"]
        assert "第三十六条第（四）项" in docx_text(response.content)
        response = client.get(self.url(application, extension="pdf"))
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
        log = PersonalDataAccess.objects.filter(application=application, user=world.users["handler"])
        assert log.count() == 2
        assert {entry.fields for entry in log} == {"政府信息公开申请答复告知书（DOCX，含申请人姓名）",
                                                   "政府信息公开申请答复告知书（PDF，含申请人姓名）"}

    def test_other_agencies_get_404_and_a_supervisor_403_and_nothing_is_logged(self, world):
        application = drafted(world, "granted")
        outsider, supervisor = Client(), Client()
        outsider.force_login(world.other_intake)
        supervisor.force_login(world.supervisor)
        assert outsider.get(self.url(application)).status_code == 404
        assert supervisor.get(self.url(application, extension="pdf")).status_code == 403
        assert "下载答复告知书" not in supervisor.get(f"/staff/cases/{application.pk}/").content.decode()
        assert not PersonalDataAccess.objects.filter(application=application).exists()

    def test_anonymous_users_are_sent_to_the_login(self, world):
        application = drafted(world, "granted")
        response = Client().get(self.url(application))
        assert response.status_code == 302 and "/staff/login/" in response["Location"]

    def test_a_letter_not_yet_due_or_an_unknown_format_is_404(self, world):
        application = register(world)
        client = Client()
        client.force_login(world.users["handler"])
        assert client.get(self.url(application)).status_code == 404
        drafted_application = drafted(world, "granted")
        assert client.get(self.url(drafted_application, extension="exe")).status_code == 404
        assert client.get(self.url(drafted_application, "fee")).status_code == 404
        assert not PersonalDataAccess.objects.exists()
