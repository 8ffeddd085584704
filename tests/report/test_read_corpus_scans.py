"""Scans made from the dev corpus (../shared/corpus), not only from the seeds.

Each real report is read as gongkai reads it, printed again through gongkai's own PDF
writer, rendered to page images and degraded as a scanner and an upload do it (150 or
200 dpi, turned by up to 1°, JPEG, speckle) — then read back through OCR.  Every cell the
scan gives must be the number the report holds, or null with an issue: never wrong.
The prose is cut short so that each scan is a few pages of tables (OCR costs seconds per page).
"""

import json

import pytest
from tests.conftest import CORPUS
from tests.report.scans import as_file, as_pdf, degrade, page_images
from tests.report.test_read_corpus import SCORED_TABLES, TRUTH
from tests.report.test_read_scrambled import wrong_cells

from gongkai.report.read import read_report
from gongkai.report.write import render

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is not beside the repository")]

# name: (corpus file, dpi, degradation, file kind)
SCANS = {
    "pingtan-2020-200dpi.pdf": ("pingtan-2020.txt", 200, {"rotate": -0.6, "jpeg": 60, "speckle": 0.002}, "PDF"),
    "shanghai-kewei-2024-150dpi.tiff": ("shanghai-kewei-2024.md", 150,
                                        {"rotate": 1.0, "jpeg": 55, "speckle": 0.003}, "TIFF"),
}
_read: dict = {}


def printed_and_scanned(name: str):
    """(the report as read from the corpus, the report read back from its scan)."""
    if name not in _read:
        source, dpi, how, kind = SCANS[name]
        report = read_report(CORPUS / source)
        for key, text in report.sections.items():
            report.sections[key] = (text or "")[:120] or None
        images = [degrade(image, seed=index, **how) for index, image in enumerate(page_images(render(report, "pdf"), dpi))]
        data = as_pdf(images, dpi) if kind == "PDF" else as_file(images, kind)
        _read[name] = (report, read_report(data, filename=name))
    return _read[name]


def _cells(report: dict) -> dict:
    return {(table, row, column): value for table in SCORED_TABLES
            for row, values in (report.get(table) or {}).items() for column, value in (values or {}).items()}


@pytest.mark.parametrize("name", SCANS)
def test_a_scan_of_a_real_report_reads_right_or_null_never_wrong(name):
    printed, scanned = printed_and_scanned(name)
    assert scanned.source["ocr_pages"], "the scan was read by OCR"
    printed_json, scanned_json = printed.to_json(), scanned.to_json()
    assert wrong_cells(scanned_json, printed_json, SCORED_TABLES) == []
    truth = json.loads(TRUTH.read_text(encoding="utf-8"))[SCANS[name][0]]
    known = {table: {row: {c: v for c, v in (cells or {}).items() if v != "unknown"} for row, cells in rows.items()}
             for table, rows in truth.items() if table in SCORED_TABLES and rows}
    assert wrong_cells(scanned_json, known, SCORED_TABLES) == []
    # most of what the printed report holds comes back
    held = {k: v for k, v in _cells(printed_json).items() if v is not None}
    right = sum(_cells(scanned_json).get(k) == v for k, v in held.items())
    assert right >= 0.8 * len(held), (right, len(held))
    # and every blank the scan leaves where the report has a number is named by an issue
    named = {i.where for i in scanned.issues}
    unexplained = [k for k, v in held.items() if _cells(scanned_json).get(k) is None
                   and not any(".".join(k).startswith(w) or w.startswith(".".join(k[:2])) for w in named)]
    assert unexplained == []
