"""The import pages, given damaged uploads — a catalogue, a register, an attachment ZIP — answer with
the reason in Chinese on the page and store nothing; never a server error. Seeded damage."""

import io
import random
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from tests.damage import damaged
from tests.web import test_disclosure_fixtures as fixtures

from gongkai.web.disclosure.models import Publication
from gongkai.web.registers.models import RegulatoryDocument

desk = fixtures.desk
COPIES = 12


def catalogue_xlsx(attachment: str = "") -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["标题", "发布日期", "体裁", "第二十条事项", "附件"])
    for number in range(30):
        workbook.active.append([f"关于第{number}批低保名单的公示", "2023-01-01", "通知公告", "15", attachment])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def attachments_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("名单.pdf", b"%PDF-1.4\n" + "低保名单".encode() * 3000)
    return out.getvalue()


REGISTER_CSV = "\r\n".join(["类别,名称,文号,制发日期"] + [f"规章,某某办法{n},测规〔2024〕{n}号,2024-03-0{n % 9 + 1}"
                                                         for n in range(30)]).encode("gbk")


def stored() -> tuple[int, int]:
    return Publication.objects.count(), RegulatoryDocument.objects.count()


def shows_the_reason(body: str) -> bool:
    return 'role="alert"' in body or 'id="import-errors"' in body or 'id="row-errors"' in body


@pytest.mark.parametrize("kind", ["catalogue", "register", "zip"])
def test_a_damaged_upload_is_answered_on_the_page_and_stores_nothing(desk, kind):
    client = Client(raise_request_exception=False)
    client.force_login(desk.signer if kind != "register" else desk.writer)
    rng = random.Random(kind)
    refused = 0
    for copy in range(COPIES):
        if kind == "zip":  # a good catalogue whose rows name an attachment in a damaged ZIP
            _, archive = damaged(attachments_zip(), rng)
            url, fields = "/staff/publications/import/", {
                "catalogue": SimpleUploadedFile("目录.xlsx", catalogue_xlsx("名单.pdf")),
                "attachments_zip": SimpleUploadedFile("附件.zip", archive)}
        elif kind == "catalogue":
            _, data = damaged(catalogue_xlsx(), rng)
            url, fields = "/staff/publications/import/", {"catalogue": SimpleUploadedFile("目录.xlsx", data)}
        else:
            _, data = damaged(REGISTER_CSV, rng)
            url, fields = "/staff/registers/import/", {"kind": "documents", "file": SimpleUploadedFile("登记簿.csv", data)}
        before = stored()
        response = client.post(url, {"agency": desk.agency.pk, **fields})
        assert response.status_code < 500, f"copy {copy} of {kind}"
        if response.status_code != 302:  # the form again: the reason is on the page and nothing was stored
            refused += 1
            assert shows_the_reason(response.content.decode()), f"copy {copy} of {kind}"
            assert stored() == before
    assert refused > 0
