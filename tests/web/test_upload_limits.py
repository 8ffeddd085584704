"""Uploads cannot exhaust the server: request size, rows, uncompressed size; at most 200 errors listed."""

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from tests.web import test_disclosure_fixtures as fixtures
from tests.web.test_import_pages_damaged import REGISTER_CSV, catalogue_xlsx, stored

from gongkai.web.disclosure.models import Publication

desk = fixtures.desk
IMPORT = "/staff/publications/import/"
MB = 1024 * 1024


def signer(desk) -> Client:
    client = Client()
    client.force_login(desk.signer)
    return client


def catalogue_rows(count: int, published_on="2023-01-01") -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["标题", "发布日期", "体裁", "第二十条事项"])
    for number in range(count):
        workbook.active.append([f"关于第{number}批低保名单的公示", published_on, "通知公告", "15"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def with_padding(data: bytes, size: int) -> bytes:
    """The same ZIP with one more entry of ``size`` zero bytes (a few KB compressed)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("xl/media/padding.bin", bytes(size))
    return out.getvalue()


def post_catalogue(desk, data: bytes, **extra):
    return signer(desk).post(IMPORT, {"agency": desk.agency.pk, "catalogue": SimpleUploadedFile("目录.xlsx", data),
                                      **extra})


def test_a_catalogue_over_the_row_limit_is_refused_naming_the_limit(desk, settings):
    settings.GONGKAI_IMPORT_MAX_ROWS = 50
    response = post_catalogue(desk, catalogue_rows(60))
    assert "超过 50 行的上限" in response.content.decode()
    assert not Publication.objects.exists()


def test_a_workbook_that_unpacks_to_too_much_is_refused_before_it_is_read(desk, settings):
    settings.GONGKAI_IMPORT_MAX_UNCOMPRESSED_MB = 1
    bomb = with_padding(catalogue_rows(3), 5 * MB)
    assert len(bomb) < 100_000
    response = post_catalogue(desk, bomb)
    assert "解压后" in response.content.decode() and "超过上限 1 MB" in response.content.decode()
    assert not Publication.objects.exists()


def test_an_attachment_zip_that_unpacks_to_too_much_is_refused(desk, settings):
    settings.GONGKAI_IMPORT_MAX_UNCOMPRESSED_MB = 1
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("名单.pdf", b"%PDF-1.4\n" + bytes(5 * MB))
    response = post_catalogue(desk, catalogue_xlsx("名单.pdf"),
                              attachments_zip=SimpleUploadedFile("附件.zip", out.getvalue()))
    assert "超过上限 1 MB" in response.content.decode()
    assert not Publication.objects.exists()


def test_a_request_over_the_upload_limit_is_refused_with_the_limit_named(desk, settings):
    settings.GONGKAI_UPLOAD_MAX_MB = 1
    attachments = [SimpleUploadedFile(f"附件{n}.pdf", b"%PDF-1.4\n" + bytes(400_000)) for n in range(3)]
    response = signer(desk).post("/staff/publications/new/", {"agency": desk.agency.pk, "title": "大附件",
                                                               "attachments": attachments})
    assert response.status_code == 413
    assert "超过单次上传的上限 1 MB" in response.content.decode()
    assert not Publication.objects.exists()


def test_the_error_list_stops_after_200_rows_and_says_how_many_more(desk):
    response = post_catalogue(desk, catalogue_rows(250, published_on="2023-02-30"))
    html = response.content.decode()
    assert html.count("<tr><td>第 ") == 200
    assert "另有 50 处错误未列出" in html
    assert "有 250 处错误" in html


def test_the_register_import_shares_the_row_limit(desk, settings):
    settings.GONGKAI_IMPORT_MAX_ROWS = 10
    client = Client()
    client.force_login(desk.writer)
    before = stored()
    response = client.post("/staff/registers/import/", {
        "agency": desk.agency.pk, "kind": "documents", "file": SimpleUploadedFile("登记簿.csv", REGISTER_CSV)})
    assert "超过 10 行的上限" in response.content.decode()
    assert stored() == before


def test_the_ledger_reader_keeps_the_limits_it_is_given(tmp_path):
    from gongkai.ledger import read_ledger
    from gongkai.ledger.errors import UnreadableLedger
    from gongkai.limits import ReadLimits, read_limits_applied

    workbook = openpyxl.Workbook()
    workbook.active.append(["申请编号", "收到申请日期", "申请人类型", "办理结果", "答复日期"])
    for number in range(30):
        workbook.active.append([f"A{number}", "2024-03-01", "自然人", "予以公开", "2024-03-10"])
    path = tmp_path / "台账.xlsx"
    workbook.save(path)
    with read_limits_applied(ReadLimits(max_rows=20)), pytest.raises(UnreadableLedger, match="超过 20 行的上限"):
        read_ledger(path)
    bomb = tmp_path / "大台账.xlsx"
    bomb.write_bytes(with_padding(path.read_bytes(), 3 * MB))
    with read_limits_applied(ReadLimits(max_uncompressed_bytes=MB)), pytest.raises(UnreadableLedger, match="解压后"):
        read_ledger(bomb)
