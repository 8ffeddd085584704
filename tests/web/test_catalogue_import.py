"""Catalogue import: CSV (UTF-8 ± BOM, GBK) and XLSX with attachments; every bad row named; all or nothing."""

import io
import re
import zipfile
from datetime import date

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from tests.damage import with_future_version, with_garbled_name
from tests.web import test_disclosure_fixtures as fixtures
from tests.web.factories import MembershipFactory, UserFactory

from gongkai.cli import main as gongkai_main
from gongkai.web.agencies.models import Membership
from gongkai.web.disclosure.catalogue_import import (
    AttachmentFolder,
    AttachmentZip,
    CatalogueHasErrors,
    CatalogueUnreadable,
    catalogue_import,
)
from gongkai.web.disclosure.models import (
    AgencyDisclosure,
    Article20Item,
    Genre,
    Publication,
    PublicationEvent,
    Validity,
)
from gongkai.web.disclosure.search import search_index
from gongkai.web.disclosure.selectors import publications_public

desk = fixtures.desk
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16

GOOD_ROWS = [
    # 标题, 发布日期, 体裁, 索引号, 文号, 成文日期, 第二十条事项, 领域, 有效性, 正文, 附件
    ["关于城乡低保标准的通知", "2023-03-15", "行政规范性文件", "MZ-2023-0007", "测民规〔2023〕1号", "2023/3/1",
     "", "社会救助", "有效", "对决定不服的，可以申请行政复议。", "低保标准.pdf;附表.png"],
    ["2023年部门预算", "2023年2月1日", "budget", "", "", "", "（七）", "finance", "", "预算说明。", ""],
    ["养老服务补贴政策解读", "2023.04.02", "政策解读", "", "", "", "11", "elderly_care", "", "解读正文", ""],
]
HEADER = ["标题", "发布日期", "体裁", "索引号", "文号", "成文日期", "第二十条事项", "标准目录领域", "有效性", "正文", "附件"]


def csv_bytes(rows, header=HEADER, encoding="utf-8-sig") -> bytes:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


@pytest.fixture
def files(tmp_path):
    folder = tmp_path / "附件"
    folder.mkdir()
    (folder / "低保标准.pdf").write_bytes(PDF)
    (folder / "附表.png").write_bytes(PNG)
    (folder / "伪装.pdf").write_bytes(b"MZ\x90\x00 an executable")
    (folder / "很大.pdf").write_bytes(PDF + b"x" * 4096)
    return folder


def history_admin(desk):
    """The agency admin, the only one who may import a catalogue as already-published history."""
    user = UserFactory(username="d_admin")
    Membership.objects.get_or_create(user=user, agency=desk.agency, role=Membership.Role.AGENCY_ADMIN)
    return user


def run_import(desk, data, folder=None, user=None, already_published=True):
    """Import as history (the admin's choice) unless told otherwise: most tests here are about history."""
    user = user or (history_admin(desk) if already_published else desk.signer)
    with desk.commit(execute=True):
        return catalogue_import(agency=desk.agency, data=data, acting_user=user, source="目录.csv",
                                attachments=AttachmentFolder(folder) if folder else None,
                                already_published=already_published)


def errors_of(desk, data, folder=None):
    with pytest.raises(CatalogueHasErrors) as caught:
        run_import(desk, data, folder)
    return [(e.row, e.column, e.value, e.message) for e in caught.value.errors]


class TestGoodFiles:
    def test_utf8_csv_with_attachments_imports_published_history(self, desk, files):
        AgencyDisclosure.objects.create(agency=desk.agency, agency_code="MZ", index_pattern="{agency_code}-{year}-{seq:04d}")
        result = run_import(desk, csv_bytes(GOOD_ROWS), files)
        assert str(result) == "已作为已发布的历史信息导入 3 条信息、2 个附件"
        rule, budget, reading = (Publication.objects.get(title=row[0]) for row in GOOD_ROWS)
        assert rule.index_number == "MZ-2023-0007"  # kept as given
        assert budget.index_number == "MZ-2023-0001" and reading.index_number == "MZ-2023-0002"  # the pattern
        assert all(p.state == Publication.State.PUBLISHED and p.is_visible() for p in (rule, budget, reading))
        assert (rule.genre, rule.article20_item, rule.catalogue_domain, rule.validity) == (
            Genre.NORMATIVE_DOCUMENT, Article20Item.REGULATIONS, "social_assistance", Validity.IN_FORCE)
        assert (rule.written_on, rule.formed_on, rule.published_on) == (date(2023, 3, 1), date(2023, 3, 1),
                                                                        date(2023, 3, 15))
        assert budget.article20_item == Article20Item.BUDGETS and budget.genre == Genre.BUDGET
        assert reading.article20_item == Article20Item.WELFARE and reading.genre == Genre.INTERPRETATION
        assert sorted((a.name, a.kind) for a in rule.attachments.all()) == [("低保标准.pdf", "pdf"), ("附表.png", "png")]
        assert list(rule.validity_changes.values_list("validity", "effective_on")) == [("in_force", date(2023, 3, 15))]
        event = PublicationEvent.objects.get(publication=rule)
        assert (event.action, event.acting_user.username, event.comment) == ("import", "d_admin",
                                                                             "导入已发布的历史信息（d_admin）")
        assert event.data == {"source": "目录.csv", "row": 2, "imported_by": "d_admin", "already_published": True,
                              "in_file": {"published_on": "2023-03-15", "validity_changed_on": None}}
        assert set(publications_public()) == {rule, budget, reading}
        portal = Client().get(f"/portal/{desk.agency.pk}/catalogue/").content.decode()
        assert all(p.title in portal for p in (rule, budget, reading))
        with search_index() as index:
            hits = index.search("复议").hits
        assert [hit.id for hit in hits] == [rule.pk] and "<mark>复议</mark>" in hits[0].snippet

    def test_gbk_csv_with_english_headers_in_another_order(self, desk):
        header = ["genre", "title", "published_on", "article20_item", "validity", "body"]
        rows = [["规范性文件", "关于临时救助的规定", "2022-12-30", "（一）", "废止", "临时救助"],
                ["notice", "停水通知", "2022-05-06", "15", "", ""]]
        run_import(desk, csv_bytes(rows, header, encoding="gbk"))
        rule = Publication.objects.get(title="关于临时救助的规定")
        assert rule.validity == Validity.REPEALED and rule.genre == Genre.NORMATIVE_DOCUMENT
        assert not rule.validity_changes.exists()  # the repeal date is unknown, and none is invented
        assert Publication.objects.get(title="停水通知").genre == Genre.NOTICE

    def test_a_long_multi_line_body_keeps_the_row_numbers_of_a_spreadsheet(self, desk):
        body = "第一段。\n" + "低保" * 100_000
        header = ["标题", "发布日期", "体裁", "第二十条事项", "正文"]
        data = csv_bytes([["长文", "2023-01-01", "通知公告", "15", body], ["", "2023-01-01", "通知公告", "15", ""]],
                         header)
        with pytest.raises(CatalogueHasErrors) as caught:
            run_import(desk, data)
        assert [(e.row, e.column) for e in caught.value.errors] == [(3, "标题")]
        run_import(desk, csv_bytes([["长文", "2023-01-01", "通知公告", "15", body]], header))
        assert Publication.objects.get().body == body

    def test_a_repeal_date_column_records_the_dated_history(self, desk):
        header = ["标题", "发布日期", "体裁", "有效性", "有效性变化日期"]
        run_import(desk, csv_bytes([["旧规定", "2019-01-02", "规章", "失效", "2022-06-30"]], header))
        changes = Publication.objects.get().validity_changes.values_list("validity", "effective_on")
        assert list(changes) == [("in_force", date(2019, 1, 2)), ("expired", date(2022, 6, 30))]

    def test_xlsx_with_real_dates_and_a_title_row_above_the_header(self, desk, files):
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(["某局政府信息公开目录"])
        sheet.append(["发布日期", "标题", "体裁", "附件", "第二十条事项"])
        sheet.append([date(2021, 7, 1), "会议纪要", "会议", "低保标准.pdf", "（十五）"])
        buffer = io.BytesIO()
        workbook.save(buffer)
        run_import(desk, buffer.getvalue(), files)
        publication = Publication.objects.get()
        assert publication.published_on == date(2021, 7, 1) and publication.genre == Genre.MEETING
        assert publication.attachments.get().name == "低保标准.pdf"
        assert publication.events.get().data["row"] == 3

    def test_attachments_from_a_zip(self, desk):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("附件/低保标准.pdf", PDF)
        header = ["标题", "发布日期", "体裁", "第二十条事项", "附件"]
        with desk.commit(execute=True):
            catalogue_import(agency=desk.agency, data=csv_bytes([["通知", "2023-01-01", "通知公告", "15", "低保标准.pdf"]],
                                                                header),
                             acting_user=desk.signer, attachments=AttachmentZip(buffer.getvalue()))
        assert bytes(Publication.objects.get().attachments.get().content) == PDF


    def test_a_damaged_file_inside_the_zip_is_a_row_error_and_nothing_is_imported(self, desk):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("好的.pdf", PDF)
            archive.writestr("坏的.pdf", PDF + b"%" * 4000)
        data = bytearray(buffer.getvalue())
        start = data.index("坏的.pdf".encode()) + len("坏的.pdf".encode())
        data[start + 20:start + 40] = b"\xff" * 20  # inside the compressed bytes of 坏的.pdf
        header = ["标题", "发布日期", "体裁", "第二十条事项", "附件"]
        rows = [["一", "2023-01-01", "通知公告", "15", "好的.pdf"], ["二", "2023-01-02", "通知公告", "15", "坏的.pdf"]]
        with pytest.raises(CatalogueHasErrors) as caught:
            catalogue_import(agency=desk.agency, data=csv_bytes(rows, header), acting_user=desk.signer,
                             attachments=AttachmentZip(bytes(data)))
        assert [(str(error), error.rule) for error in caught.value.errors] == [
            ("第 3 行「附件」列「坏的.pdf」：附件「坏的.pdf」在压缩包中已损坏或加密，无法解压", "attachment.unreadable")]
        assert not Publication.objects.exists()

    @pytest.mark.parametrize("damage", [with_garbled_name, with_future_version])
    def test_a_zip_whose_directory_cannot_be_read_is_refused_in_chinese(self, desk, damage):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("低保标准.pdf", PDF)
        with pytest.raises(CatalogueUnreadable, match="附件压缩包无法打开"):
            AttachmentZip(damage(buffer.getvalue(), "低保标准.pdf"))

class TestBadRows:
    def test_each_bad_row_is_named_with_row_column_and_value(self, desk, files, settings):
        settings.GONGKAI_ATTACHMENT_MAX_BYTES = 1024
        Publication.objects.create(agency=desk.agency, index_number="已有-0001", title="旧的", genre=Genre.NOTICE,
                                   article20_item=15, formed_on=date(2020, 1, 1))
        rows = [
            ["", "2023-01-01", "通知公告", "", "", "", "15", "", "", "", ""],  # row 2: no title
            ["日期错", "2023-02-30", "通知公告", "", "", "", "15", "", "", "", ""],  # row 3: impossible date
            ["体裁错", "2023-01-01", "公文", "", "", "", "15", "", "", "", ""],  # row 4: unknown genre
            ["缺附件", "2023-01-01", "通知公告", "", "", "", "15", "", "", "", "没有.pdf"],  # row 5
            ["坏附件", "2023-01-01", "通知公告", "", "", "", "15", "", "", "", "伪装.pdf"],  # row 6
            ["大附件", "2023-01-01", "通知公告", "", "", "", "15", "", "", "", "很大.pdf"],  # row 7
            ["重复一", "2023-01-01", "通知公告", "X-1", "", "", "15", "", "", "", ""],  # row 8
            ["重复二", "2023-01-01", "通知公告", "X-1", "", "", "15", "", "", "", ""],  # row 9: same 索引号
            ["已存在", "2023-01-01", "通知公告", "已有-0001", "", "", "15", "", "", "", ""],  # row 10
            ["有效性错", "2023-01-01", "通知公告", "", "", "", "15", "", "有效", "", ""],  # row 11
            ["事项空", "2023-01-01", "通知公告", "", "", "", "", "", "", "", ""],  # row 12
            ["路径", "2023-01-01", "通知公告", "", "", "", "15", "", "", "", "../etc/passwd"],  # row 13
            ["领域错", "2023-01-01", "通知公告", "", "", "", "15", "火星", "", "", ""],  # row 14
        ]
        errors = errors_of(desk, csv_bytes(rows), files)
        assert [(row, column, value) for row, column, value, _ in errors] == [
            (2, "标题", ""), (3, "发布日期", "2023-02-30"), (4, "体裁", "公文"), (5, "附件", "没有.pdf"),
            (6, "附件", "伪装.pdf"), (7, "附件", "很大.pdf"), (9, "索引号", "X-1"), (10, "索引号", "已有-0001"),
            (11, "有效性", "有效"), (12, "第二十条事项", ""), (13, "附件", "../etc/passwd"), (14, "标准目录领域", "火星"),
        ]
        messages = dict(((row, column), message) for row, column, _, message in errors)
        assert messages[(2, "标题")] == "标题为空"
        assert messages[(3, "发布日期")] == "日期不存在"
        assert "无法识别的体裁" in messages[(4, "体裁")] and "规章" in messages[(4, "体裁")]
        assert "找不到附件「没有.pdf」" in messages[(5, "附件")]
        assert "附件「伪装.pdf」的内容不是可接受的文件类型" in messages[(6, "附件")]
        assert "附件「很大.pdf」有" in messages[(7, "附件")] and "超过上限" in messages[(7, "附件")]
        assert messages[(9, "索引号")] == "索引号与第 8 行重复"
        assert "已存在" in messages[(10, "索引号")]
        assert "只有规章和行政规范性文件标注有效性" in messages[(11, "有效性")]
        assert "只能写文件名" in messages[(13, "附件")]
        assert Publication.objects.count() == 1  # only the one stored before: nothing imported

    def test_the_error_text_reads_as_row_column_value(self, desk):
        with pytest.raises(CatalogueHasErrors) as caught:
            run_import(desk, csv_bytes([["标题", "明天吧", "通知公告", "", "", "", "15", "", "", "", ""]]))
        assert str(caught.value.errors[0]).startswith("第 2 行「发布日期」列「明天吧」：无法识别的日期")

    def test_model_checks_are_reported_on_their_column(self, desk):
        rows = [["长" * 301, "2023-01-01", "通知公告", "", "", "", "15", "", "", "", ""],
                ["文号过长", "2023-01-01", "通知公告", "", "号" * 101, "", "15", "", "", "", ""]]
        errors = errors_of(desk, csv_bytes(rows))
        assert [(row, column) for row, column, _, _ in errors] == [(2, "标题"), (3, "文号")]
        assert "300" in errors[0][3] and "100" in errors[1][3]

    def test_a_future_date_and_a_release_before_writing_are_refused(self, desk):
        rows = [["未来", "2999-01-01", "通知公告", "", "", "", "15", "", "", "", ""],
                ["倒序", "2023-01-01", "通知公告", "", "", "2023-02-01", "15", "", "", "", ""]]
        errors = errors_of(desk, csv_bytes(rows))
        assert [(row, column) for row, column, _, _ in errors] == [(2, "发布日期"), (3, "发布日期")]

    def test_re_importing_the_same_file_clashes_and_changes_nothing(self, desk, files):
        data = csv_bytes(GOOD_ROWS)
        run_import(desk, data, files)
        stored = list(Publication.objects.values_list("pk", "title", "index_number", "updated_at"))
        errors = errors_of(desk, data, files)
        budget, reading = (Publication.objects.get(title=row[0]).index_number for row in GOOD_ROWS[1:])
        assert errors == [
            (2, "索引号", "MZ-2023-0007", "索引号已存在（已经导入或发布过）"),
            # Rows without 索引号 are matched on 标题, 文号 and 发布日期.
            (3, "标题", "2023年部门预算", f"已有标题、文号和发布日期都相同的信息（索引号 {budget}），可能已经导入过"),
            (4, "标题", "养老服务补贴政策解读",
             f"已有标题、文号和发布日期都相同的信息（索引号 {reading}），可能已经导入过"),
        ]
        assert list(Publication.objects.values_list("pk", "title", "index_number", "updated_at")) == stored

    @pytest.mark.parametrize("data, message", [
        (csv_bytes([["x", "2023-01-01"]], header=["名称", "日期"]), "缺少必需的列"),
        ("标题,发布日期,体裁\r\n通知,2023-01-01,通知公告\r\n".encode("utf-16"), "UTF-16"),
        (b"PK\x03\x04 broken", "无法打开 xlsx"),
        (b"", "空的"),
        (csv_bytes([], header=HEADER), "没有信息"),
        (csv_bytes([], header=["标题", "标题", "发布日期", "体裁"]), "只能有一个"),
    ])
    def test_unreadable_files(self, desk, data, message):
        with pytest.raises(CatalogueUnreadable, match=message):
            run_import(desk, data)
        assert not Publication.objects.exists()

    def test_a_writer_may_not_import(self, desk):
        from django.core.exceptions import PermissionDenied

        with pytest.raises(PermissionDenied):
            run_import(desk, csv_bytes(GOOD_ROWS[1:2]), user=desk.writer, already_published=False)
        assert not Publication.objects.exists()


class TestCommandLine:
    @pytest.fixture(autouse=True)
    def django_ready(self, monkeypatch):
        monkeypatch.setattr("gongkai.cli.web.setup_django", lambda **kwargs: None)  # the test database is set up

    def test_exit_codes(self, desk, files, tmp_path, capsys):
        good = tmp_path / "good.csv"
        good.write_bytes(csv_bytes(GOOD_ROWS))
        bad = tmp_path / "bad.csv"
        bad.write_bytes(csv_bytes([["", "2023-01-01", "通知公告", "", "", "", "15", "", "", "", ""]]))
        broken = tmp_path / "broken.csv"
        broken.write_bytes(b"\x00\x01\x02")
        agency = ["--agency", desk.agency.full_name]
        with desk.commit(execute=True):
            assert gongkai_main(["catalogue", "import", str(good), *agency, "--attachments", str(files)]) == 0
        assert "已导入 3 条信息、2 个附件，均在「审核」环节等待审核" in capsys.readouterr().out
        assert PublicationEvent.objects.filter(action="import", acting_user=None, comment="导入，待审核（命令行）").count() == 3
        assert set(Publication.objects.values_list("state", flat=True)) == {Publication.State.REVIEW}
        assert gongkai_main(["catalogue", "import", str(bad), *agency]) == 1
        err = capsys.readouterr().err
        assert "第 2 行「标题」列（空）：标题为空" in err and "未导入任何信息" in err
        assert gongkai_main(["catalogue", "import", str(broken), *agency]) == 2
        assert "不是 CSV" in capsys.readouterr().err
        assert gongkai_main(["catalogue", "import", str(good), "--agency", "没有这个机构"]) == 2
        assert gongkai_main(["catalogue", "import", str(good), *agency, "--attachments", str(tmp_path / "无")]) == 2
        assert "附件文件夹" in capsys.readouterr().err
        assert Publication.objects.count() == 3


class TestUploadPage:
    def test_row_errors_are_shown_and_nothing_is_stored(self, desk):
        client = Client()
        client.force_login(desk.signer)
        xss = '<script>alert("x")</script>'
        data = csv_bytes([["好标题", "2023-13-01", "通知公告", "", "", "", "15", "", "", "", ""],
                          ["好标题二", "2023-01-01", xss, "", "", "", "15", "", "", "", ""]])
        response = client.post("/staff/publications/import/", {
            "agency": desk.agency.pk, "catalogue": SimpleUploadedFile("目录.csv", data)})
        page = response.content.decode()
        assert response.status_code == 200 and 'id="import-errors"' in page
        table = page[page.index('id="import-errors"'):]
        rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", table)
        assert [row[:3] for row in rows] == [("第 2 行", "发布日期", "2023-13-01"),
                                              ("第 3 行", "体裁", "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;")]
        assert xss not in page and "未导入任何信息" in page
        assert not Publication.objects.exists()

    def test_a_good_file_with_a_zip_is_imported(self, desk):
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w") as bundle:
            bundle.writestr("低保标准.pdf", PDF)
            bundle.writestr("附表.png", PNG)
        client = Client()
        client.force_login(desk.signer)
        with desk.commit(execute=True):
            response = client.post("/staff/publications/import/", {
                "agency": desk.agency.pk, "catalogue": SimpleUploadedFile("目录.csv", csv_bytes(GOOD_ROWS)),
                "attachments_zip": SimpleUploadedFile("附件.zip", archive.getvalue())})
        assert response.status_code == 302
        assert Publication.objects.filter(state=Publication.State.REVIEW).count() == 3  # awaiting review
        assert not publications_public().exists()
        listing = client.get(response["Location"]).content.decode()
        assert "已导入 3 条信息、2 个附件，均在「审核」环节" in listing and "关于城乡低保标准的通知" in listing

    def test_an_unreadable_file_is_a_form_error(self, desk):
        client = Client()
        client.force_login(desk.signer)
        response = client.post("/staff/publications/import/", {
            "agency": desk.agency.pk, "catalogue": SimpleUploadedFile("x.csv", b"a,b\r\n1,2\r\n"),
            "attachments_zip": SimpleUploadedFile("a.zip", b"not a zip")})
        assert response.status_code == 200 and "附件压缩包无法打开" in response.content.decode()

    def test_only_admins_and_signers_may_import(self, desk):
        client = Client()
        client.force_login(desk.writer)
        assert client.get("/staff/publications/import/").status_code == 403
        admin = MembershipFactory(agency=desk.agency, role=Membership.Role.AGENCY_ADMIN).user
        client.force_login(admin)
        page = client.get("/staff/publications/import/")
        assert page.status_code == 200 and desk.agency.full_name in page.content.decode()
        # A signer of the other agency cannot pick this one.
        client.force_login(desk.outsider)
        response = client.post("/staff/publications/import/", {
            "agency": desk.agency.pk, "catalogue": SimpleUploadedFile("目录.csv", csv_bytes(GOOD_ROWS[1:2]))})
        assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
        assert not Publication.objects.exists()
