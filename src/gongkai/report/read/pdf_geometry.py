"""A PDF page's characters with their positions and its ruling lines, read with pypdfium2.

pdfium (BSD/Apache) reads a page's text in a few milliseconds; the characters and the
page's path objects (cell borders are thin stroked lines or thin filled rectangles)
go to ``grid.page_text``, which rebuilds the tables.  A page without a text layer is
reported as such, for OCR — and so is a scan carrying another program's invisible OCR
text (a "searchable PDF"), whose digits are no more trustworthy than ours.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass

from .grid import Piece, Segment, join_chars

# A path thinner than this (in points) on one side is a ruling line, not a shape.
_RULE_THICKNESS = 2.5
# A character this far outside the page's box is not printed (hidden text, crop marks).
_OFF_PAGE = 2.0


@dataclass
class PageGeometry:
    width: float
    height: float
    pieces: list[Piece]
    segments: list[Segment]
    images: int  # image objects on the page (a scan is one image filling the page)
    hidden_text: bool = False  # its text is invisible: another program's OCR laid over a scan


def page_geometry(page) -> PageGeometry:
    """Characters (as words) and rulings of one ``pypdfium2.PdfPage``, top-down coordinates."""
    import pypdfium2.raw as pdfium_c

    width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        text = textpage.get_text_range(0, count) if count else ""
        chars: list[tuple] = []
        get_box = pdfium_c.FPDFText_GetLooseCharBox
        raw = textpage.raw
        # The loose box spans the glyph's advance and the font's height: a full-width
        # comma fills its em square and 一 is as tall as its neighbours.
        box = pdfium_c.FS_RECTF()
        per_char = len(text) != count
        for index in range(count):
            ch = chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, index)) if per_char else text[index]
            if ch.isspace() or ch < " " or ch == "\ufffe":
                continue
            if not get_box(raw, index, box):
                continue
            x0, x1, y0, y1 = box.left, box.right, height - box.top, height - box.bottom
            if x1 < -_OFF_PAGE or x0 > width + _OFF_PAGE or y1 < -_OFF_PAGE or y0 > height + _OFF_PAGE:
                continue
            chars.append((ch, x0, y0, x1, y1))
    finally:
        textpage.close()
    segments, images, texts, invisible = _page_objects(page.raw, height)
    return PageGeometry(width, height, join_chars(chars), segments, images,
                        hidden_text=bool(texts) and invisible >= 0.8 * texts)


def _page_objects(page_raw, height: float) -> tuple[list[Segment], int, int, int]:
    """Rulings, and counts of image objects, text objects and invisible text objects."""
    import pypdfium2.raw as pdfium_c

    segments: list[Segment] = []
    images = texts = invisible = 0
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))

    def visit(obj, depth):
        nonlocal images, texts, invisible
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            images += 1
            return
        if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
            texts += 1
            if pdfium_c.FPDFTextObj_GetTextRenderMode(obj) == pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE:
                invisible += 1
            return
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < 4:
            for i in range(pdfium_c.FPDFFormObj_CountObjects(obj)):
                visit(pdfium_c.FPDFFormObj_GetObject(obj, i), depth + 1)
            return
        if kind != pdfium_c.FPDF_PAGEOBJ_PATH:
            return
        if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            return
        x0, x1 = left.value, right.value
        y0, y1 = height - top.value, height - bottom.value
        w, h = x1 - x0, y1 - y0
        if h <= _RULE_THICKNESS and w > _RULE_THICKNESS:
            segments.append(Segment(x0, (y0 + y1) / 2, x1, (y0 + y1) / 2))
        elif w <= _RULE_THICKNESS and h > _RULE_THICKNESS:
            segments.append(Segment((x0 + x1) / 2, y0, (x0 + x1) / 2, y1))
        elif w > _RULE_THICKNESS and h > _RULE_THICKNESS:
            segments.extend(_path_edges(obj, height))

    for i in range(pdfium_c.FPDFPage_CountObjects(page_raw)):
        visit(pdfium_c.FPDFPage_GetObject(page_raw, i), 0)
    return segments, images, texts, invisible


def _path_edges(obj, height: float) -> list[Segment]:
    """The straight axis-aligned edges of a stroked path (a rectangle drawn with ``re``,
    or a polyline of borders); a filled shape without a stroke is a background, not a rule."""
    import pypdfium2.raw as pdfium_c

    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke) or not stroke.value:
        return []
    matrix = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, matrix):
        return []
    count = pdfium_c.FPDFPath_CountSegments(obj)
    if count > 400:
        return []
    x, y = ctypes.c_float(), ctypes.c_float()
    points = []
    edges = []
    for i in range(count):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        if not pdfium_c.FPDFPathSegment_GetPoint(segment, x, y):
            continue
        px = matrix.a * x.value + matrix.c * y.value + matrix.e
        py = height - (matrix.b * x.value + matrix.d * y.value + matrix.f)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO or not points:
            points = [(px, py)]
        else:
            ax, ay = points[-1]
            if abs(ay - py) < 0.5 and abs(ax - px) > _RULE_THICKNESS:
                edges.append(Segment(min(ax, px), py, max(ax, px), py))
            elif abs(ax - px) < 0.5 and abs(ay - py) > _RULE_THICKNESS:
                edges.append(Segment(px, min(ay, py), px, max(ay, py)))
            points.append((px, py))
        if pdfium_c.FPDFPathSegment_GetClose(segment) and len(points) > 2:
            (ax, ay), (bx, by) = points[-1], points[0]
            if abs(ay - by) < 0.5 and abs(ax - bx) > _RULE_THICKNESS:
                edges.append(Segment(min(ax, bx), ay, max(ax, bx), ay))
            elif abs(ax - bx) < 0.5 and abs(ay - by) > _RULE_THICKNESS:
                edges.append(Segment(ax, min(ay, by), ax, max(ay, by)))
    return edges
