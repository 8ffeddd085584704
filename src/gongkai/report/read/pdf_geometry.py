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
    """Characters (as words) and rulings of one ``pypdfium2.PdfPage``, top-down coordinates.

    Coordinates are those in which the page's text stands upright.  That is the page's
    own space for most PDFs, whatever their ``/Rotate`` (which only turns the display);
    a landscape table laid into a portrait page with its text turned sideways (and
    ``/Rotate`` to show it upright) is turned back by the direction of its characters.
    """
    import pypdfium2.raw as pdfium_c

    width, height = page.get_size()
    if page.get_rotation() in (90, 270):
        width, height = height, width  # get_size is the displayed size; the boxes are in the page's space
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
        turn = _text_turn(textpage.raw, count)
    finally:
        textpage.close()
    segments, images, texts, invisible = _page_objects(page.raw, height)
    if turn:
        upright = _Upright(turn, width, height)
        chars = _reading_order([(ch, *upright.box(x0, y0, x1, y1)) for ch, x0, y0, x1, y1 in chars])
        segments = [Segment(*upright.box(s.x0, s.y0, s.x1, s.y1)) for s in segments]
        width, height = upright.size
    return PageGeometry(width, height, join_chars(chars), segments, images,
                        hidden_text=bool(texts) and invisible >= 0.8 * texts)


def _text_turn(textpage_raw, count: int) -> int:
    """How far (0, 90, 180 or 270 degrees, as pdfium measures a character's angle) most
    characters of the page are turned; 0 unless a clear majority agrees."""
    import math

    import pypdfium2.raw as pdfium_c

    votes = {0: 0, 90: 0, 180: 0, 270: 0}
    for index in range(0, count, max(1, count // 400)):
        if chr(pdfium_c.FPDFText_GetUnicode(textpage_raw, index)).isspace():
            continue
        angle = pdfium_c.FPDFText_GetCharAngle(textpage_raw, index)
        if angle < 0:
            continue
        quarter = round(math.degrees(angle) / 90) % 4 * 90
        if abs(math.degrees(angle) - round(math.degrees(angle) / 90) * 90) < 5:
            votes[quarter] += 1
    turn, most = max(votes.items(), key=lambda item: item[1])
    return turn if turn and most > 0.6 * sum(votes.values()) else 0


def _reading_order(chars: list[tuple]) -> list[tuple]:
    """Characters of turned text in reading order: line by line, left to right.

    pdfium orders the characters of a page whose text is turned by its own guess, not
    in the order they were laid out, and ``join_chars`` joins neighbours in the order given.
    """
    chars = sorted(chars, key=lambda c: (c[2] + c[4]) / 2)
    lines: list[list[tuple]] = []
    for char in chars:
        middle, size = (char[2] + char[4]) / 2, char[4] - char[2]
        if lines and abs(middle - lines[-1][-1][5]) < max(size, lines[-1][-1][6]) / 2:
            lines[-1].append((*char, middle, size))
        else:
            lines.append([(*char, middle, size)])
    return [c[:5] for line in lines for c in sorted(line, key=lambda c: c[1])]


@dataclass
class _Upright:
    """Top-down page coordinates → coordinates in which text turned by ``turn`` stands upright."""

    turn: int
    width: float
    height: float

    @property
    def size(self) -> tuple[float, float]:
        return (self.width, self.height) if self.turn == 180 else (self.height, self.width)

    def point(self, x: float, y: float) -> tuple[float, float]:
        if self.turn == 270:  # text runs up the page
            return self.height - y, x
        if self.turn == 90:  # text runs down the page
            return y, self.width - x
        return self.width - x, self.height - y

    def box(self, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        (ax, ay), (bx, by) = self.point(x0, y0), self.point(x1, y1)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


def _page_objects(page_raw, height: float) -> tuple[list[Segment], int, int, int]:
    """Rulings, and counts of image objects, text objects and invisible text objects."""
    import pypdfium2.raw as pdfium_c

    segments: list[Segment] = []
    images = texts = invisible = 0
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))

    def visit(obj, depth, outer):
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
            # A form's objects are placed in the form's space: its matrix takes them onto the page.
            inner = _compose(_matrix(obj), outer)
            for i in range(pdfium_c.FPDFFormObj_CountObjects(obj)):
                visit(pdfium_c.FPDFFormObj_GetObject(obj, i), depth + 1, inner)
            return
        if kind != pdfium_c.FPDF_PAGEOBJ_PATH:
            return
        if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            return
        corners = [_apply(outer, x, y) for x in (left.value, right.value) for y in (bottom.value, top.value)]
        x0, x1 = min(x for x, _ in corners), max(x for x, _ in corners)
        y0, y1 = height - max(y for _, y in corners), height - min(y for _, y in corners)
        w, h = x1 - x0, y1 - y0
        if h <= _RULE_THICKNESS and w > _RULE_THICKNESS:
            segments.append(Segment(x0, (y0 + y1) / 2, x1, (y0 + y1) / 2))
        elif w <= _RULE_THICKNESS and h > _RULE_THICKNESS:
            segments.append(Segment((x0 + x1) / 2, y0, (x0 + x1) / 2, y1))
        elif w > _RULE_THICKNESS and h > _RULE_THICKNESS:
            segments.extend(_path_edges(obj, height, outer))

    for i in range(pdfium_c.FPDFPage_CountObjects(page_raw)):
        visit(pdfium_c.FPDFPage_GetObject(page_raw, i), 0, _IDENTITY)
    return segments, images, texts, invisible


_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _matrix(obj) -> tuple[float, ...]:
    import pypdfium2.raw as pdfium_c

    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
        return _IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(inner: tuple[float, ...], outer: tuple[float, ...]) -> tuple[float, ...]:
    """The matrix applying ``inner`` and then ``outer`` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _apply(m: tuple[float, ...], x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _path_edges(obj, height: float, outer=_IDENTITY) -> list[Segment]:
    """The straight axis-aligned edges of a stroked path (a rectangle drawn with ``re``,
    or a polyline of borders); a filled shape without a stroke is a background, not a rule."""
    import pypdfium2.raw as pdfium_c

    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke) or not stroke.value:
        return []
    matrix = _compose(_matrix(obj), outer)
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
        px, py = _apply(matrix, x.value, y.value)
        py = height - py
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
