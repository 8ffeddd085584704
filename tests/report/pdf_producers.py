"""PDFs made from the seeds the ways agencies make them, cached between test runs.

Producers (each a function ``stem, workdir -> PDF path``):

- ``lo-bordered``         LibreOffice, DOCX -> PDF, table borders drawn (the committed layouts/*.pdf)
- ``lo-borderless``       LibreOffice, the same DOCX with every table and cell border removed
- ``lo-landscape``        LibreOffice, the DOCX on landscape A4 pages, numbers at the top of their cells
- ``lo-bottom``           LibreOffice, borders drawn, every cell's text at the bottom of its cell
- ``lo-borderless-top``   LibreOffice, borderless, every cell's text at the top of its cell
- ``weasyprint-site``     WeasyPrint, the site's HTML page (layouts/*.html) as a browser would print it
- ``weasyprint-landscape`` WeasyPrint, that page on landscape A4, group labels one character per line
- ``weasyprint-gongkai``  WeasyPrint via gongkai's own writer (write/pdf.py) from the expected JSON

Tables 三 cross page breaks in every portrait producer (their header rows repeated where
the HTML has a <thead>).  PDFs are built once per content hash into pytest's cache
directory, so only the first run pays for LibreOffice.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

from tests.conftest import FIXTURES

LAYOUTS = FIXTURES / "layouts"
EXPECTED = FIXTURES / "expected"
STEMS = sorted(p.stem for p in LAYOUTS.glob("*.docx"))

_LANDSCAPE_CSS = "@page { size: A4 landscape; margin: 15mm } table.gk tr > td:first-child[rowspan] { width: 1em }"
# The site's own page printed with narrow group columns: （三）不予公开 one character per line.
_VERTICAL_CSS = "table.gk td[rowspan] { width: 1em; word-break: break-all }"


def have_libreoffice() -> bool:
    return shutil.which("soffice") is not None


def _docx_variant(docx: bytes, *, borders: bool, landscape: bool, valign: str | None) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                xml = data.decode("utf-8")
                if not borders:
                    xml = re.sub(r"<w:(tcBorders|tblBorders)>.*?</w:\1>", "", xml)
                if landscape:
                    xml = re.sub(r'<w:pgSz w:w="(\d+)" w:h="(\d+)"/>', r'<w:pgSz w:w="\2" w:h="\1" w:orient="landscape"/>',
                                 xml)
                if valign:
                    xml = xml.replace('<w:vAlign w:val="center"/>', f'<w:vAlign w:val="{valign}"/>')
                data = xml.encode("utf-8")
            target.writestr(item, data)
    return out.getvalue()


def _soffice_pdf(docx: bytes, name: str, workdir: Path) -> Path:
    folder = workdir / f"lo-{name}"
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / f"{name}.docx"
    source.write_bytes(docx)
    profile = "file://" + str(workdir / "lo-profile")
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to",
                    "pdf:writer_pdf_Export", "--outdir", str(folder), str(source)],
                   check=True, capture_output=True, timeout=300)
    return folder / f"{name}.pdf"


def _weasy(html: str) -> bytes:
    from gongkai.report.write.pdf import html_to_pdf

    return html_to_pdf(html)


def _with_css(html: str, css: str) -> str:
    return html.replace("</style>", css + "\n</style>", 1)


def _site_html(stem: str) -> str:
    # The page's <script> and external references are harmless: html_to_pdf fetches nothing.
    return (LAYOUTS / f"{stem}.html").read_text(encoding="utf-8")


def _rotate_flag(data: bytes, degrees: int) -> bytes:
    """Every page shown turned by ``degrees`` (its /Rotate), its content unchanged."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    for page in document:
        page.set_rotation(degrees)
    return _saved(document)


def _turned_content(data: bytes, degrees: int) -> bytes:
    """Every page's content turned by ``degrees`` counter-clockwise onto a page of the turned size,
    with /Rotate turning it back upright for display: how a landscape table comes out of some print
    drivers and scanning software (the text lies sideways in the file)."""
    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(data)
    out = pdfium.PdfDocument.new()
    for index in range(len(source)):
        width, height = source[index].get_size()
        placed = source.page_as_xobject(index, out).as_pageobject()
        shift = {90: (height, 0), 180: (width, height), 270: (0, width)}[degrees]
        placed.transform(pdfium.PdfMatrix().rotate(degrees, ccw=True).translate(*shift))
        page = out.new_page(*((height, width) if degrees in (90, 270) else (width, height)))
        page.insert_obj(placed)
        page.gen_content()
        page.set_rotation(degrees)
    return _saved(out)


def _saved(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def build(producer: str, stem: str, workdir: Path) -> bytes:
    docx = (LAYOUTS / f"{stem}.docx").read_bytes() if producer.startswith("lo-") else None
    if producer == "lo-bordered":
        return (LAYOUTS / f"{stem}.pdf").read_bytes()
    if producer.startswith("rotate-"):
        return _rotate_flag((LAYOUTS / f"{stem}.pdf").read_bytes(), int(producer.removeprefix("rotate-")))
    if producer.startswith("turned-"):
        return _turned_content((LAYOUTS / f"{stem}.pdf").read_bytes(), int(producer.removeprefix("turned-")))
    if producer == "lo-borderless":
        return _soffice_pdf(_docx_variant(docx, borders=False, landscape=False, valign=None), stem, workdir).read_bytes()
    if producer == "lo-landscape":
        return _soffice_pdf(_docx_variant(docx, borders=True, landscape=True, valign="top"), stem, workdir).read_bytes()
    if producer == "lo-bottom":
        return _soffice_pdf(_docx_variant(docx, borders=True, landscape=False, valign="bottom"), stem,
                            workdir).read_bytes()
    if producer == "lo-borderless-bottom":
        return _soffice_pdf(_docx_variant(docx, borders=False, landscape=False, valign="bottom"), stem,
                            workdir).read_bytes()
    if producer == "lo-borderless-top":
        return _soffice_pdf(_docx_variant(docx, borders=False, landscape=False, valign="top"), stem,
                            workdir).read_bytes()
    if producer == "weasyprint-site":
        return _weasy(_with_css(_site_html(stem), _VERTICAL_CSS))
    if producer == "weasyprint-landscape":
        return _weasy(_with_css(_site_html(stem), _LANDSCAPE_CSS + _VERTICAL_CSS))
    if producer == "weasyprint-gongkai":
        from gongkai.report.model import AnnualReport
        from gongkai.report.write.pdf import render_pdf

        return render_pdf(AnnualReport.from_json(json.loads((EXPECTED / f"{stem}.json").read_text(encoding="utf-8"))))
    raise ValueError(producer)


PRODUCERS = ("lo-bordered", "lo-borderless", "lo-landscape", "lo-bottom", "lo-borderless-top",
             "weasyprint-site", "weasyprint-landscape", "weasyprint-gongkai",
             # the seed's PDF shown turned (/Rotate), and with its content turned sideways in the file
             "rotate-90", "rotate-180", "rotate-270", "turned-90", "turned-180", "turned-270")
# Made the way agencies make them too, but not yet read whole: without borders and with text at the bottom of
# its cells, a merged group label prints after its first row, so those rows are not tied to it (null).
PRODUCERS_NOT_YET_WHOLE = ("lo-borderless-bottom",)


def cache_dir(request, tmp_path_factory) -> Path:
    """pytest's cache directory (kept between runs), or a temporary one when the cache is off."""
    cache = getattr(request.config, "cache", None)
    return cache.mkdir("gongkai-producer-pdfs") if cache is not None else tmp_path_factory.mktemp("producer-pdfs")


def cached_pdf(producer: str, stem: str, cache_dir: Path) -> bytes:
    """The PDF, from ``cache_dir`` when the inputs it is made from have not changed."""
    inputs = hashlib.sha256(producer.encode())
    for path in (Path(__file__), LAYOUTS / f"{stem}.docx", LAYOUTS / f"{stem}.html", EXPECTED / f"{stem}.json"):
        inputs.update(path.read_bytes())
    cached = cache_dir / f"{producer}-{stem}-{inputs.hexdigest()[:16]}.pdf"
    if not cached.exists():
        # Each test process (pytest-xdist) builds in a folder and LibreOffice profile of its own, and the
        # PDF appears under its name only when complete: two processes building at once do not collide.
        data = build(producer, stem, cache_dir / f"work-{os.getpid()}")
        partial = cached.with_name(f"{cached.name}.{os.getpid()}.partial")
        partial.write_bytes(data)
        partial.replace(cached)
    return cached.read_bytes()
