"""Scanned reports and images through OCR: scans made from the seeds (tests/report/scans.py) read to
cells that are right or null with an issue — never wrong.  OCR takes seconds per page on two cores,
so there are three scans of two pages or one, each read once."""

import io
import socket

import pytest
from PIL import Image
from tests.conftest import SEEDS
from tests.report.pdf_producers import cache_dir, cached_pdf
from tests.report.scans import as_file, as_pdf, degrade, page_images, searchable_scan
from tests.report.test_read_pdf_geometry import cells
from tests.report.test_read_seeds import COMPARED, expected_for

from gongkai.report.errors import NotAnnualReport, UnreadableFile
from gongkai.report.read import ocr, read_report

# name: (seed, dpi, degradation, file kind, pages kept, least cells right)
SCANS = {
    "scan-200dpi.pdf": ("000_d747f82e42b9411a", 200, {}, "PDF", None, 185),
    "scan-150dpi-rotated-jpeg-speckle.tiff": ("003_a65fa051b6f5e026", 150,
                                              {"rotate": 0.8, "jpeg": 55, "speckle": 0.002}, "TIFF", None, 170),
    "scan-150dpi-rotated-speckle-page1.jpg": ("004_795117ff85927c6d", 150,
                                              {"rotate": -1.0, "speckle": 0.003, "blur": 0.5}, "JPEG", 1, 60),
}
_read: dict = {}


@pytest.fixture(scope="module")
def read_scan(request, tmp_path_factory):
    cache = cache_dir(request, tmp_path_factory)

    def read(name):
        if name not in _read:
            stem, dpi, how, kind, keep, _ = SCANS[name]
            images = [degrade(image, seed=index, **how)
                      for index, image in enumerate(page_images(cached_pdf("weasyprint-gongkai", stem, cache), dpi))]
            images = images[:keep] if keep else images
            data = as_pdf(images, dpi) if kind == "PDF" else as_file(images, kind)
            _read[name] = read_report(data, filename=name)
        return _read[name]

    return read


@pytest.mark.slow
@pytest.mark.parametrize("name", SCANS)
def test_a_scan_reads_right_or_null_never_wrong(name, read_scan):
    stem, *_, least_right = SCANS[name]
    report = read_scan(name)
    expected = cells({k: v for k, v in expected_for(stem + ".json").items() if k in COMPARED})
    got = cells({k: v for k, v in report.to_json().items() if k in COMPARED})
    wrong = {k: (got[k], v) for k, v in expected.items() if got.get(k) is not None and got[k] != v}
    assert wrong == {}
    right = [k for k, v in expected.items() if v is not None and got.get(k) == v]
    assert len(right) >= least_right
    explained = [i.where for i in report.issues if i.rule.startswith(("ocr.", "read.", "structure."))]
    unexplained = [k for k, v in expected.items() if v is not None and got.get(k) is None
                   and not any(k == w or k.startswith(w + ".") for w in explained)]
    assert unexplained == []


@pytest.mark.slow
def test_the_report_says_which_pages_were_read_by_ocr(read_scan):
    assert read_scan("scan-200dpi.pdf").source == {"file": "scan-200dpi.pdf", "kind": "pdf", "ocr_pages": [1, 2]}
    tiff = read_scan("scan-150dpi-rotated-jpeg-speckle.tiff")
    assert tiff.source["kind"] == "image" and tiff.source["ocr_pages"] == [1, 2]
    assert tiff.to_json()["source"]["ocr_pages"] == [1, 2]


@pytest.mark.slow
def test_table_two_read_by_ocr_is_null_with_an_issue_naming_the_page(read_scan):
    report = read_scan("scan-200dpi.pdf")
    assert report.proactive["rules"] == {"issued": None, "repealed": None, "in_force": None}
    (issue,) = [i for i in report.issues if i.where == "proactive.rules.issued"]
    assert issue.rule == "ocr.unconfirmed" and "第1页" in issue.message


@pytest.mark.slow
def test_the_models_ship_in_the_wheel_and_nothing_is_fetched(monkeypatch):
    assert {p.name for p in ocr.models_dir().iterdir()} >= set(ocr.MODEL_FILES.values())

    def no_network(*args, **kwargs):
        raise AssertionError("OCR tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    ocr.engine.cache_clear()
    try:
        image = Image.new("L", (400, 120), 255)
        from PIL import ImageDraw

        ImageDraw.Draw(image).text((20, 40), "2021  34  17", fill=0, font_size=36)
        assert "34" in ocr.ocr_image(image)
    finally:
        ocr.engine.cache_clear()


@pytest.mark.slow
def test_an_image_without_text_is_refused_in_one_line():
    blank = io.BytesIO()
    Image.new("L", (800, 1100), 255).save(blank, "PNG")
    with pytest.raises(UnreadableFile, match="图片中没有识别出文字") as raised:
        read_report(blank.getvalue(), filename="blank.png")
    assert str(raised.value).startswith("blank.png:") and "\n" not in str(raised.value)


@pytest.mark.slow
def test_a_scanned_pdf_of_something_else_is_not_an_annual_report():
    from gongkai.report.write.pdf import html_to_pdf

    notice = html_to_pdf("<html><body><h1>关于召开年度工作会议的通知</h1><p>各科室：定于下周一上午九时召开会议，"
                         "请准时参加。</p><p>联系电话：12345678</p></body></html>")
    scan = as_pdf(page_images(notice, 150), 150)
    with pytest.raises(NotAnnualReport, match="扫描页经文字识别后") as raised:
        read_report(scan, filename="notice.pdf")
    assert "\n" not in str(raised.value)


def test_a_scan_with_more_pages_than_ocr_reads_is_refused_before_any_ocr(monkeypatch):
    from gongkai.report.read import pdf_read

    monkeypatch.setattr(pdf_read, "MAX_OCR_PAGES", 2)
    monkeypatch.setattr(ocr, "engine", lambda: pytest.fail("OCR ran"))
    pages = [Image.new("L", (300, 400), 255) for _ in range(3)]
    with pytest.raises(UnreadableFile, match="扫描页过多（3 页）"):
        read_report(as_pdf(pages, 72), filename="long-scan.pdf")


def test_a_scanners_invisible_ocr_text_is_not_trusted_the_page_is_read_by_ours(monkeypatch):
    """A "searchable PDF": its hidden text layer is another program's OCR, digits unchecked."""
    (seed,) = [p for p in SEEDS if p.name.startswith("003")]
    read_pages = []

    def our_ocr(document, index):
        read_pages.append(index)
        return seed.read_text(encoding="utf-8")  # stands for what our OCR reads off the image

    monkeypatch.setattr(ocr, "read_pdf_page", our_ocr)
    report = read_report(searchable_scan("一、本年新收政府信息公开申请数量 99 0 0 0 0 0 99" * 3), filename="s.pdf")
    assert read_pages == [0] and report.source["ocr_pages"] == [1]
    assert list(report.applications["new"].values()) == [68, 4, 0, 0, 0, 0, 72]
    assert report.proactive["rules"]["issued"] is None  # table 二 read by OCR: nothing to confirm it


def test_a_damaged_image_is_refused_with_a_reason():
    png = io.BytesIO()
    Image.new("L", (600, 600), 200).save(png, "PNG")
    with pytest.raises(UnreadableFile, match="图片文件已损坏"):
        read_report(png.getvalue()[:200], filename="cut.png")


def test_a_file_named_png_that_is_not_an_image():
    with pytest.raises(UnreadableFile, match="不是该格式"):
        read_report("一、总体情况".encode(), filename="report.png")
