"""Scans made from the seeds: gongkai's own PDF of a seed's expected JSON, rendered to page
images and degraded the ways a scanner and an office's upload do it (Pillow only)."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageFilter


def page_images(pdf: bytes, dpi: int) -> list[Image.Image]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        return [page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for page in document]
    finally:
        document.close()


def degrade(image: Image.Image, *, rotate: float = 0.0, jpeg: int | None = None, speckle: float = 0.0,
            blur: float = 0.0, seed: int = 0) -> Image.Image:
    """Rotated by ``rotate`` degrees, blurred, speckled (a share of pixels flipped dark or light),
    then JPEG-compressed at quality ``jpeg``."""
    out = image.convert("L")
    if rotate:
        out = out.rotate(rotate, resample=Image.Resampling.BICUBIC, fillcolor=255, expand=False)
    if blur:
        out = out.filter(ImageFilter.GaussianBlur(blur))
    if speckle:
        rng = random.Random(seed)
        pixels = out.load()
        width, height = out.size
        for _ in range(int(width * height * speckle)):
            x, y = rng.randrange(width), rng.randrange(height)
            pixels[x, y] = rng.choice((0, 60, 200, 255))
    if jpeg:
        buffer = io.BytesIO()
        out.save(buffer, "JPEG", quality=jpeg)
        out = Image.open(io.BytesIO(buffer.getvalue())).convert("L")
    return out


def as_pdf(images: list[Image.Image], dpi: int) -> bytes:
    """A PDF of page images only, as a scanner writes it: no text layer."""
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return buffer.getvalue()


def as_file(images: list[Image.Image], kind: str) -> bytes:
    buffer = io.BytesIO()
    if kind == "TIFF":
        images[0].save(buffer, "TIFF", save_all=True, append_images=images[1:], compression="tiff_deflate")
    else:
        images[0].save(buffer, kind, **({"quality": 70} if kind == "JPEG" else {}))
    return buffer.getvalue()


def searchable_scan(hidden: str) -> bytes:
    """A one-page "searchable PDF" as scanners write it: a page image with the scanner's own
    OCR laid over it as invisible text (``hidden``)."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    document = pdfium.PdfDocument.new()
    page = document.new_page(595, 842)
    image = pdfium.PdfImage.new(document)
    image.set_bitmap(pdfium.PdfBitmap.from_pil(Image.new("RGB", (200, 280), (255, 255, 255))))
    image.set_matrix(pdfium.PdfMatrix().scale(595, 842))
    page.insert_obj(image)
    font = pdfium_c.FPDFText_LoadStandardFont(document.raw, b"Helvetica")
    text = pdfium_c.FPDFPageObj_CreateTextObj(document.raw, font, 12.0)
    encoded = ctypes.create_string_buffer((hidden + "\0").encode("utf-16-le"))
    pdfium_c.FPDFText_SetText(text, ctypes.cast(encoded, ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
    pdfium_c.FPDFTextObj_SetTextRenderMode(text, pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE)
    pdfium_c.FPDFPageObj_Transform(text, 1, 0, 0, 1, 50, 700)
    pdfium_c.FPDFPage_InsertObject(page.raw, text)
    page.gen_content()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
