"""PDF reports per second against ``pdftotext -layout`` on the same files, and OCR seconds per page.

    python bench/bench_pdf_ocr.py [--seconds S] [--no-ocr]

The PDFs are the seed layouts (LibreOffice, tests/fixtures/layouts/*.pdf) and the seeds
typeset by gongkai's own writer (WeasyPrint).  Three figures for the same files, one core:

- gongkai: ``read_report`` on the PDF bytes (text layer rebuilt from its geometry, tables
  read, checks run);
- pdftotext: ``pdftotext -layout`` of each file (a process per file, as a script would run it);
- pdftotext + reader: that text read by gongkai, the whole poppler-based way in.

OCR: pages of a seed rendered at 150 and 200 dpi, read by ``ocr.ocr_image`` (the engine's
one-off start-up reported apart).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from gongkai.report.read import read_report  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"


def timed(function, seconds: float) -> float:
    samples = []
    deadline = time.perf_counter() + seconds
    while len(samples) < 3 or time.perf_counter() < deadline:
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def pdfs() -> list[tuple[str, bytes]]:
    from gongkai.report.model import AnnualReport
    from gongkai.report.write.pdf import render_pdf

    files = [(p.name, p.read_bytes()) for p in sorted((FIXTURES / "layouts").glob("*.pdf"))]
    for path in sorted((FIXTURES / "expected").glob("*.json")):
        report = AnnualReport.from_json(json.loads(path.read_text(encoding="utf-8")))
        files.append((f"{path.stem}.weasyprint.pdf", render_pdf(report)))
    return files


def pdftotext(data: bytes) -> bytes:
    return subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True,
                           check=True).stdout


def bench_pdf(seconds: float) -> None:
    files = pdfs()
    for name, data in files:
        read_report(data, filename=name)  # imports and caches warm
    ours = timed(lambda: [read_report(d, filename=n) for n, d in files], seconds) / len(files)
    print(f"{'PDF (' + str(len(files)) + ' files)':<34} {'s/file':>9} {'files/s':>9} {'vs pdftotext':>13}")
    print(f"{'gongkai read_report':<34} {ours:>9.4f} {1 / ours:>9.1f}", end="")
    if shutil.which("pdftotext") is None:
        print("   (pdftotext not installed)")
        return
    poppler = timed(lambda: [pdftotext(d) for _, d in files], seconds) / len(files)
    both = timed(lambda: [read_report(pdftotext(d), filename="layout.txt") for _, d in files], seconds) / len(files)
    print(f" {ours / poppler:>12.2f}x")
    print(f"{'pdftotext -layout':<34} {poppler:>9.4f} {1 / poppler:>9.1f} {1:>12.2f}x")
    print(f"{'pdftotext -layout + gongkai reader':<34} {both:>9.4f} {1 / both:>9.1f} {both / poppler:>12.2f}x")


def bench_ocr() -> None:
    from gongkai.report.model import AnnualReport
    from gongkai.report.read import ocr
    from gongkai.report.write.pdf import render_pdf

    expected = FIXTURES / "expected" / "000_d747f82e42b9411a.json"
    pdf = render_pdf(AnnualReport.from_json(json.loads(expected.read_text(encoding="utf-8"))))
    import pypdfium2 as pdfium

    started = time.perf_counter()
    ocr.engine()
    print(f"OCR engine start-up (models loaded once per process): {time.perf_counter() - started:.1f} s")
    document = pdfium.PdfDocument(pdf)
    for dpi in (150, 200):
        images = [page.render(scale=dpi / 72, grayscale=True).to_pil() for page in document]
        started = time.perf_counter()
        for image in images:
            ocr.ocr_image(image)
        per_page = (time.perf_counter() - started) / len(images)
        print(f"OCR at {dpi} dpi: {per_page:.1f} s/page ({len(images)} table pages)")
    document.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--no-ocr", action="store_true", help="skip the OCR figures (a minute on two cores)")
    args = parser.parse_args(argv)
    bench_pdf(args.seconds)
    if not args.no_ocr:
        bench_ocr()
    return 0


if __name__ == "__main__":
    sys.exit(main())
