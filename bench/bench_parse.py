"""Parse throughput per format, against raw text extraction of the same files.

    python bench/bench_parse.py [--seconds S]

For each format the same files are (a) parsed by gongkai into report JSON, checks
included, and (b) put through the plainest text extraction of that format — decoding
for text, lxml's text_content for HTML, the document XML's text for DOCX, pdfplumber's
extract_text for PDF.  The ratio parse/extraction says what the reader costs on top of
getting the text out at all.  Everything runs in this process, on one core.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from gongkai.report.read import read_report  # noqa: E402
from gongkai.report.read.decode import decode_text  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"


def files_by_format() -> dict[str, list[Path]]:
    layouts = FIXTURES / "layouts"
    groups: dict[str, list[Path]] = {"text": sorted((FIXTURES / "seeds").glob("*.txt"))}
    if layouts.exists():
        groups["text"] += sorted(p for p in layouts.glob("*.txt"))
        groups["text"] += sorted(layouts.glob("*.md"))
        groups["html"] = sorted(layouts.glob("*.html"))
        groups["docx"] = sorted(layouts.glob("*.docx"))
        groups["pdf"] = sorted(layouts.glob("*.pdf"))
    # Real reports beside the repository (crawler dumps with run-together cells, converted Markdown),
    # the files whose digits the reader has to split; the ones it refuses (pre-2019) are left out.
    corpus = ROOT.parent / "shared" / "corpus"
    if corpus.exists():
        groups["corpus"] = [p for p in sorted(corpus.glob("*.*")) if p.suffix in (".txt", ".md") and _reads(p)]
    return {kind: paths for kind, paths in groups.items() if paths}


def _reads(path: Path) -> bool:
    from gongkai.report.errors import ReportError

    try:
        read_report(path)
    except ReportError:
        return False
    return True


def extract_text(kind: str, data: bytes) -> str:
    if kind in ("text", "corpus"):
        return decode_text(data)
    if kind == "html":
        from lxml import html

        return html.document_fromstring(data).text_content()
    if kind == "docx":
        from lxml import etree

        root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
        return "".join(root.itertext())
    if kind == "pdf":
        import pdfplumber

        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return "\f".join(page.extract_text() or "" for page in pdf.pages)
    raise ValueError(kind)


def timed(function, rounds_seconds: float) -> float:
    """Median seconds per call, over as many calls as fit in the time given (at least 3)."""
    samples = []
    deadline = time.perf_counter() + rounds_seconds
    while len(samples) < 3 or time.perf_counter() < deadline:
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
        if len(samples) >= 2000:
            break
    return statistics.median(samples)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="time spent per format and side")
    args = parser.parse_args(argv)
    print(f"{'format':<6} {'files':>5} {'parse (reports/s)':>18} {'extract (files/s)':>18} {'parse/extract':>14}")
    for kind, paths in files_by_format().items():
        blobs = [(p.name, p.read_bytes()) for p in paths]
        for name, data in blobs:  # warm up imports and caches
            read_report(data, filename=name)

        def parse_all(blobs=blobs):
            for name, data in blobs:
                read_report(data, filename=name)

        def extract_all(blobs=blobs, kind=kind):
            for _name, data in blobs:
                extract_text(kind, data)

        parse_seconds = timed(parse_all, args.seconds) / len(blobs)
        extract_seconds = timed(extract_all, args.seconds) / len(blobs)
        print(f"{kind:<6} {len(blobs):>5} {1 / parse_seconds:>18.1f} {1 / extract_seconds:>18.1f} "
              f"{parse_seconds / extract_seconds:>13.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
