"""Bad input gets one clear Chinese reason naming the file, or a partial report with issues."""

import io
import json
import os
import time
import zipfile

import pytest
from tests.conftest import FIXTURES
from tests.damage import with_future_version, with_garbled_name

from gongkai.report.errors import NotAnnualReport, Pre2019Report, UnreadableFile
from gongkai.report.read import read_report


def write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_empty_file(tmp_path):
    with pytest.raises(UnreadableFile, match="空的") as error:
        read_report(write(tmp_path, "empty.txt", b""))
    assert "empty.txt" in str(error.value)


def test_binary_junk(tmp_path):
    junk = bytes(range(256)) * 80
    with pytest.raises(UnreadableFile, match="二进制"):
        read_report(write(tmp_path, "junk.bin", junk))


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(UnreadableFile, match="不存在"):
        read_report(tmp_path / "nope.txt")
    with pytest.raises(UnreadableFile, match="目录"):
        read_report(tmp_path)


def test_a_chinese_document_that_is_not_an_annual_report(tmp_path):
    notice = "关于做好2022年春节期间安全生产工作的通知\n各街道、各部门：\n为切实做好春节期间安全生产工作，现将有关事项通知如下。\n" * 5
    with pytest.raises(NotAnnualReport, match="不是政府信息公开工作年度报告"):
        read_report(write(tmp_path, "notice.txt", notice.encode("utf-8")))


def test_a_pre_2019_report_is_refused_with_its_reason(tmp_path):
    text = ("某县2018年政府信息公开工作年度报告\n政府信息公开情况统计表\n指标名称\t计量单位\t本年度\n"
            "一、主动公开情况\t\t\n主动公开政府信息数\t条\t120\n二、依申请公开情况\t\t\n受理申请总数\t件\t3\n")
    with pytest.raises(Pre2019Report, match="2019年以前的旧格式"):
        read_report(write(tmp_path, "old.txt", text.encode("utf-8")))


def test_a_truncated_report_comes_back_partial_with_an_error(tmp_path, seed_text):
    text = seed_text("000")
    cut = text.index("4.无正当理由大量反复申请")
    report = read_report(write(tmp_path, "cut.txt", text[:cut].encode("utf-8")))
    assert report.applications["granted"]["total"] == 14
    assert report.applications["total"]["natural_person"] is None
    truncated = [i for i in report.issues if i.rule == "structure.truncated"]
    assert truncated and truncated[0].severity == "error"
    assert "中断" in truncated[0].message


def test_gbk_and_utf8_bom_read_the_same(tmp_path, seed_text):
    text = seed_text("001")
    plain = read_report(write(tmp_path, "utf8.txt", text.encode("utf-8")))
    gbk = read_report(write(tmp_path, "gbk.txt", text.encode("gb18030")))
    bom = read_report(write(tmp_path, "bom.txt", b"\xef\xbb\xbf" + text.encode("utf-8")))
    assert gbk.applications == plain.applications == bom.applications
    assert gbk.agency == plain.agency == "梁园区人民政府办公室"


def test_full_width_digits_and_punctuation_read_the_same(tmp_path, seed_text):
    text = seed_text("003")
    wide = text.translate({code: code + 0xFEE0 for code in range(0x21, 0x7F)})
    assert "６８" in wide
    report = read_report(write(tmp_path, "wide.txt", wide.encode("utf-8")))
    assert report.applications["new"]["natural_person"] == 68
    assert report.proactive["licensing"]["decisions"] == 19365


def test_a_file_named_pdf_that_is_not_one(tmp_path):
    with pytest.raises(UnreadableFile, match="不是该格式"):
        read_report(write(tmp_path, "report.pdf", "这不是 PDF".encode()))


def test_a_broken_docx(tmp_path):
    with pytest.raises(UnreadableFile, match="已损坏"):
        read_report(write(tmp_path, "broken.docx", b"PK\x03\x04" + os.urandom(200)))


def test_a_docx_zip_bomb_is_refused_quickly(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document>" + b" " * (300 * 1024 * 1024))
    started = time.perf_counter()
    with pytest.raises(UnreadableFile, match="zip 炸弹|体积异常"):
        read_report(write(tmp_path, "bomb.docx", buffer.getvalue()))
    assert time.perf_counter() - started < 5


def _docx_with(document_xml: str) -> bytearray:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", document_xml)
    return bytearray(buffer.getvalue())


def test_a_docx_whose_compressed_body_is_damaged(tmp_path):
    data = _docx_with("<w:document><w:body>" + "<w:p><w:r><w:t>政府信息公开工作年度报告</w:t></w:r></w:p>" * 200
                      + "</w:body></w:document>")
    start = data.index(b"word/document.xml") + len("word/document.xml")
    data[start + 10:start + 30] = b"\xff" * 20  # inside the deflate stream of document.xml
    with pytest.raises(UnreadableFile, match="DOCX 文件已损坏：正文无法解压") as error:
        read_report(write(tmp_path, "damaged.docx", bytes(data)))
    assert "damaged.docx" in str(error.value)


def test_a_docx_whose_directory_has_a_garbled_name(tmp_path):
    data = with_garbled_name(bytes(_docx_with("<w:document><w:body/></w:document>")), "word/document.xml")
    with pytest.raises(UnreadableFile, match="DOCX 文件已损坏") as error:
        read_report(write(tmp_path, "garbled.docx", data))
    assert "garbled.docx" in str(error.value)


def test_a_docx_whose_directory_claims_a_future_zip_version(tmp_path):
    data = with_future_version(bytes(_docx_with("<w:document><w:body/></w:document>")), "word/document.xml")
    with pytest.raises(UnreadableFile, match="DOCX 文件已损坏"):
        read_report(write(tmp_path, "future.docx", data))


def test_a_very_large_text_file_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(60 * 1024 * 1024)
    with pytest.raises(UnreadableFile, match="文件过大"):
        read_report(path)


def test_html_with_scripts_reads_the_tables_and_ignores_the_scripts(tmp_path, seed_text):
    rows = [line.split("\t") for line in seed_text("001").splitlines()]
    body = "".join("<tr>" + "".join(f"<td>{cell or '&nbsp;'}</td>" for cell in row) + "</tr>" for row in rows)
    page = (
        "<html><head><title>x</title><script>var n = '一、本年新收政府信息公开申请数量 99 99';</script></head>"
        "<body onload=\"alert(1)\"><iframe src=\"http://example.invalid\"></iframe>"
        f"<table>{body}</table><script>document.write('总计 5')</script></body></html>"
    )
    report = read_report(write(tmp_path, "page.html", page.encode("utf-8")))
    assert report.applications["new"] == {"natural_person": 23, "commercial": 0, "research": 0,
                                          "social_welfare": 0, "legal_service": 0, "other": 0, "total": 23}
    assert report.errors() == []


def test_reading_bytes_names_the_given_file():
    with pytest.raises(UnreadableFile) as error:
        read_report(b"", filename="upload.txt")
    assert str(error.value).startswith("upload.txt:")


BAD = FIXTURES / "bad"


@pytest.mark.parametrize(("name", "error", "reason"), [
    ("empty.txt", UnreadableFile, "空的"),
    ("junk.bin", UnreadableFile, "二进制"),
    ("not-a-report.txt", NotAnnualReport, "不是政府信息公开工作年度报告"),
    ("pre2019.txt", Pre2019Report, "2019年以前的旧格式"),
    ("not-really.pdf", UnreadableFile, "不是该格式"),
    ("broken.docx", UnreadableFile, "已损坏"),
])
def test_bad_fixture_gets_one_clear_reason(name, error, reason):
    with pytest.raises(error, match=reason) as raised:
        read_report(BAD / name)
    message = str(raised.value)
    assert name in message and "\n" not in message


def test_truncated_fixture_is_partial_with_an_error():
    expected = json.loads((FIXTURES / "expected" / "000_d747f82e42b9411a.json").read_text(encoding="utf-8"))
    report = read_report(BAD / "truncated.txt")
    for key in ("new", "carried_over", "granted", "partially_granted", "withheld.state_secret"):
        assert report.applications[key] == expected["applications"][key]
    assert set(report.applications["unable.not_held"].values()) == {None}
    assert set(report.applications["carried_forward"].values()) == {None}
    assert any(i.rule == "structure.truncated" and i.severity == "error" for i in report.issues)


def test_script_page_reads_to_the_seed_and_nothing_from_scripts_styles_or_frames():
    expected = json.loads((FIXTURES / "expected" / "000_d747f82e42b9411a.json").read_text(encoding="utf-8"))
    report = read_report(BAD / "script.html").to_json()
    for table in ("applications", "appeals", "proactive"):
        assert report[table] == expected[table]
    assert "777" not in json.dumps(report) and "999" not in json.dumps(report, ensure_ascii=False)


def test_a_doc_file_without_libreoffice_gets_a_clear_reason(monkeypatch):
    from gongkai.report.read import sources

    monkeypatch.setattr(sources.shutil, "which", lambda name: None)
    with pytest.raises(UnreadableFile, match="LibreOffice") as raised:
        read_report(FIXTURES / "layouts" / "001_37405e9e9ab8bef9.doc")
    assert "\n" not in str(raised.value)
