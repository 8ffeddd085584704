"""PDFs read from their geometry: every seed through every producer (tests/report/pdf_producers.py)
reads to its hand-written cells, and to at least the cells its ``pdftotext -layout`` text gives."""

import shutil
import subprocess

import pytest
from tests.report.pdf_producers import (
    PRODUCERS,
    PRODUCERS_NOT_YET_WHOLE,
    STEMS,
    cache_dir,
    cached_pdf,
    have_libreoffice,
)
from tests.report.test_read_seeds import COMPARED, expected_for

from gongkai.report.read import read_report
from gongkai.report.read.grid import EMPTY_CELL, Piece, Segment, page_text


@pytest.fixture(scope="session")
def pdf_cache(request, tmp_path_factory):
    return cache_dir(request, tmp_path_factory)


def cells(report: dict) -> dict:
    out = {}

    def walk(value, path):
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(inner, f"{path}.{key}" if path else key)
        else:
            out[path] = value

    walk(report, "")
    return out


def _needs(producer):
    if producer.startswith("lo-") and producer != "lo-bordered" and not have_libreoffice():
        pytest.skip("LibreOffice (soffice) is not installed")


def _wanted_and_read(producer: str, stem: str, pdf_cache) -> tuple[dict, dict]:
    """The seed's hand-written cells and the cells read from its PDF as ``producer`` makes it."""
    _needs(producer)
    expected = expected_for(stem + ".json")
    read = read_report(cached_pdf(producer, stem, pdf_cache), filename=f"{stem}.pdf").to_json()
    return (cells({k: expected[k] for k in COMPARED if k in expected}),
            cells({k: read[k] for k in COMPARED if k in expected}))


@pytest.mark.slow
@pytest.mark.parametrize("producer", PRODUCERS)
@pytest.mark.parametrize("stem", STEMS, ids=lambda s: s[:3])
def test_every_producer_reads_every_cell_right(producer, stem, pdf_cache):
    want, got = _wanted_and_read(producer, stem, pdf_cache)
    wrong = {k: (got.get(k), v) for k, v in want.items() if got.get(k) != v}
    assert wrong == {}


@pytest.mark.slow
@pytest.mark.parametrize("producer", PRODUCERS_NOT_YET_WHOLE)
@pytest.mark.parametrize("stem", STEMS, ids=lambda s: s[:3])
def test_a_producer_not_yet_read_whole_gives_no_wrong_cell(producer, stem, pdf_cache):
    """Never a confident wrong number: what such a PDF does not tie to its label comes back null."""
    want, got = _wanted_and_read(producer, stem, pdf_cache)
    wrong = {k: (got[k], v) for k, v in want.items() if got.get(k) is not None and got[k] != v}
    assert wrong == {}
    right = sum(got.get(k) == v for k, v in want.items())
    assert right >= 0.8 * len(want)  # most of the table is still read


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
@pytest.mark.parametrize("producer", PRODUCERS)
def test_at_least_the_cells_pdftotext_layout_gives(producer, pdf_cache):
    _needs(producer)
    for stem in STEMS:
        expected = cells({k: v for k, v in expected_for(stem + ".json").items() if k in COMPARED})
        data = cached_pdf(producer, stem, pdf_cache)
        layout = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout
        by_poppler = cells({k: v for k, v in read_report(layout, filename="x.txt").to_json().items() if k in COMPARED})
        ours = cells({k: v for k, v in read_report(data, filename="x.pdf").to_json().items() if k in COMPARED})
        poppler_right = {k for k, v in expected.items() if v is not None and by_poppler.get(k) == v}
        assert {k for k in poppler_right if ours.get(k) != expected[k]} == set(), stem


# ---------------------------------------------------------------- the grid, on hand-placed geometry

def box(x0, x1, y0, y1):
    """The four rulings of a rectangle."""
    return [Segment(x0, y0, x1, y0), Segment(x0, y1, x1, y1), Segment(x0, y0, x0, y1), Segment(x1, y0, x1, y1)]


def char_column(text, x, top, size=10):
    return [Piece(ch, x, top + i * size, x + size, top + (i + 1) * size) for i, ch in enumerate(text)]


def test_a_vertical_group_label_one_character_per_line_is_read_once_as_its_words():
    # a group cell 0-20 wide spanning two rows (0-60, 60-120), label cells 20-100, numbers 100-140
    segments = box(0, 140, 0, 120) + [Segment(20, 60, 140, 60), Segment(20, 0, 20, 120), Segment(100, 0, 100, 120)]
    pieces = char_column("（三）不予公开", 5, 10, size=10) + [
        Piece("1.属于国家秘密", 22, 25, 98, 35), Piece("4", 110, 40, 116, 50),  # below the middle of its row
        Piece("2.其他法律行政", 22, 65, 98, 75), Piece("法规禁止公开", 22, 76, 90, 86), Piece("0", 110, 68, 116, 78)]
    text = page_text(pieces, segments)
    assert text.strip().split("\n") == ["（三）不予公开\t1.属于国家秘密\t4", "2.其他法律行政法规禁止公开\t0"]


def test_merged_header_cells_are_read_once_and_blank_cells_stay_blank():
    segments = box(0, 300, 0, 40) + [Segment(0, 20, 300, 20), Segment(100, 0, 100, 40), Segment(200, 20, 200, 40)]
    pieces = [Piece("申请人情况", 120, 5, 170, 15), Piece("商业", 110, 22, 130, 30), Piece("企业", 110, 30, 130, 38),
              Piece("信息内容", 10, 5, 50, 15)]
    lines = page_text(pieces, segments).strip().split("\n")
    assert lines == ["信息内容\t申请人情况", f"{EMPTY_CELL}\t商业企业\t{EMPTY_CELL}"]


def test_text_outside_tables_keeps_its_place_around_them():
    segments = box(0, 100, 50, 70) + [Segment(50, 50, 50, 70)]
    pieces = [Piece("三、收到和处理", 0, 30, 70, 40), Piece("规章", 5, 55, 25, 65), Piece("12", 60, 55, 70, 65),
              Piece("四、复议", 0, 80, 40, 90)]
    lines = [line for line in page_text(pieces, segments).split("\n") if line]
    assert lines == ["三、收到和处理", "规章\t12", "四、复议"]


@pytest.mark.slow
def test_a_blank_cell_in_a_pdf_stays_blank_and_its_row_keeps_its_columns():
    import json

    from gongkai.report.model import AnnualReport
    from gongkai.report.write.pdf import render_pdf

    data = expected_for("003_a65fa051b6f5e026.json")
    data["applications"]["granted"]["commercial"] = None  # printed as an empty cell
    data["appeals"]["litigation_direct"]["pending"] = None
    pdf = render_pdf(AnnualReport.from_json(json.loads(json.dumps(data))))
    report = read_report(pdf, filename="blank.pdf")
    assert report.applications["granted"] == {"natural_person": 31, "commercial": None, "research": 0,
                                              "social_welfare": 0, "legal_service": 0, "other": 0, "total": 33}
    assert report.appeals["litigation_direct"] == {"upheld": 1, "corrected": 0, "other": 0, "pending": None,
                                                   "total": 2}
