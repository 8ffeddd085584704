"""Text pieces with positions and a page's ruling lines → text the table reader reads right.

Both ways a page arrives as geometry — a PDF's text layer and the text boxes of OCR —
end here.  Where ruling lines enclose cells, the table grid is rebuilt from them: each
grid row becomes one tab-separated line, a merged cell is read once (in the first grid
row it covers, as the DOCX reader does), an empty cell stays an empty cell, and a
cell's lines are joined, so a wrapped label (商业企/业) and a group label printed one
character per line read as their words.  A value printed above or below the middle of
its row is still inside its cell.  Text outside any grid, and whole pages without
rulings, are laid out like ``pdftotext -layout``: one line per baseline, columns kept
by padding with spaces in proportion to their position.

Coordinates are top-down (y grows down the page), in any unit; ``Piece`` sizes set
the tolerances.
"""

from __future__ import annotations

import bisect
import itertools
import re
import statistics
from dataclasses import dataclass, field

from .text import EMPTY_CELL


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of text (a character, a word or an OCR box) and its bounding box."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    chars: tuple = ()  # (text, x0, top, x1, bottom) of the characters it was joined from, where known

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(frozen=True, slots=True)
class Segment:
    """A ruling line: horizontal (``y0 == y1``) or vertical (``x0 == x1``)."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def horizontal(self) -> bool:
        return abs(self.y1 - self.y0) <= abs(self.x1 - self.x0)


@dataclass(slots=True)
class Cell:
    """A rectangle closed by rulings (a merged cell is one), and the pieces inside it."""

    x0: float
    top: float
    x1: float
    bottom: float
    pieces: list = field(default_factory=list)


@dataclass
class Table:
    xs: list  # grid positions, left to right
    ys: list  # grid positions, top to bottom
    rows: list  # list[list[Cell]], each row left to right; a merged cell sits in its first row
    slots: dict  # (grid row, grid column) -> the Cell covering it

    @property
    def x0(self):
        return self.xs[0]

    @property
    def x1(self):
        return self.xs[-1]

    @property
    def top(self):
        return self.ys[0]

    @property
    def bottom(self):
        return self.ys[-1]

    def cell_at(self, x: float, y: float) -> Cell | None:
        column = bisect.bisect_right(self.xs, x) - 1
        row = bisect.bisect_right(self.ys, y) - 1
        return self.slots.get((row, column))


# ---------------------------------------------------------------- lines of text


def join_chars(chars) -> list[Piece]:
    """Characters in reading order joined into words: same line, next to each other.

    ``chars`` are ``(text, x0, top, x1, bottom)`` tuples.  A PDF gives characters in
    content order, which for text laid out by an office program is the order they are
    read in (OCR gives them box by box); a jump backwards or a gap wider than a third
    of a character starts a new word.  A word keeps its characters (``Piece.chars``).
    """
    words: list[Piece] = []
    current: list[tuple] = []
    left = top = right = bottom = 0.0
    last_top = last_bottom = last_right = 0.0
    for char in chars:
        _, x0, y0, x1, y1 = char
        if current:
            size = max(min(last_bottom - last_top, y1 - y0), 0.1)
            gap = x0 - last_right
            if abs(y0 + y1 - last_top - last_bottom) >= 0.8 * size or gap > 0.3 * size or gap < -0.5 * size:
                words.append(Piece("".join(c[0] for c in current), left, top, right, bottom, tuple(current)))
                current = []
        if not current:
            left, top, right, bottom = x0, y0, x1, y1
        else:  # comparisons, not min()/max(): this runs once per character of the document
            if x0 < left:
                left = x0
            if y0 < top:
                top = y0
            if x1 > right:
                right = x1
            if y1 > bottom:
                bottom = y1
        current.append(char)
        last_top, last_bottom, last_right = y0, y1, x1
    if current:
        words.append(Piece("".join(c[0] for c in current), left, top, right, bottom, tuple(current)))
    return words


def _cjk(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" or "\u3000" <= ch <= "\u303f"


def text_lines(pieces: list[Piece]) -> list[list[Piece]]:
    """Pieces grouped into lines (by vertical overlap), each sorted left to right, top to bottom."""
    lines: list[list[Piece]] = []
    spans: list[list[float]] = []  # top, bottom of each line so far
    for piece in sorted(pieces, key=lambda p: (p.cy, p.x0)):
        if spans:
            top, bottom = spans[-1]
            overlap = min(bottom, piece.bottom) - max(top, piece.top)
            if overlap > 0.5 * min(bottom - top, piece.height) or abs(piece.cy - (top + bottom) / 2) < 0.25 * max(
                    piece.height, bottom - top):
                lines[-1].append(piece)
                spans[-1] = [min(top, piece.top), max(bottom, piece.bottom)]
                continue
        lines.append([piece])
        spans.append([piece.top, piece.bottom])
    for line in lines:
        line.sort(key=lambda p: p.x0)
    return lines


def join_line(line: list[Piece]) -> str:
    """One line's pieces as text: a space where the gap between them is wider than a narrow glyph."""
    out = []
    previous = None
    for piece in line:
        if previous is not None:
            gap = piece.x0 - previous.x1
            size = max(min(previous.height, piece.height), 1e-6)
            if gap > 0.3 * size:
                out.append(" ")
        out.append(piece.text)
        previous = piece
    return "".join(out)


def join_cell_lines(lines: list[str]) -> str:
    """A cell's lines as one run of text: CJK lines join directly (商业企 + 业), others with a space."""
    text = ""
    for line in (line.strip() for line in lines):
        if not line:
            continue
        if text and not (_cjk(text[-1]) or _cjk(line[0])):
            text += " "
        text += line
    return text


def layout_lines(pieces: list[Piece], left: float, char_width: float,
                 edges: tuple[float, ...] = ()) -> list[tuple[float, str]]:
    """Lines placed like ``pdftotext -layout``: ``(y, text)``, each piece padded out to
    the column ``(x - left) / char_width``, so columns line up from row to row and two
    or more spaces separate cells."""
    out = []
    for line in text_lines(pieces):
        text = ""
        previous = None
        for piece in line:
            gap = piece.x0 - previous.x1 if previous is not None else 0.0
            size = max(min(previous.height, piece.height), 1e-6) if previous is not None else 1.0
            if previous is not None and gap <= 0.3 * size and not any(abs(piece.x0 - e) < 0.3 * size for e in edges):
                text += piece.text
            else:
                column = max(0, round((piece.x0 - left) / char_width))
                minimum = 0 if not text else (2 if gap > char_width else 1)
                text += " " * max(column - len(text), minimum) + piece.text
            previous = piece
        out.append((statistics.fmean(p.cy for p in line), text.rstrip()))
    return out


# ---------------------------------------------------------------- rulings → tables


def _merge_positions(values: list[float], tolerance: float) -> dict[float, float]:
    """Each position → the one it is taken as: positions chained closer than ``tolerance``
    are one (their mean)."""
    mapping: dict[float, float] = {}
    for group in _clusters(values, tolerance):
        mean = statistics.fmean(group)
        mapping.update((value, mean) for value in group)
    return mapping


class _Coverage:
    """Which stretches of one grid line a ruling covers."""

    def __init__(self):
        self.spans: list[tuple[float, float]] = []
        self.starts: list[float] = []
        self.ends: list[float] = []

    def add(self, a: float, b: float) -> None:
        self.spans.append((min(a, b), max(a, b)))

    def finish(self, tolerance: float) -> None:
        """Join overlapping or nearly touching stretches; they are then disjoint and in order."""
        merged: list[list[float]] = []
        for a, b in sorted(self.spans):
            if merged and a <= merged[-1][1] + tolerance:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        self.starts = [a - tolerance for a, _ in merged]
        self.ends = [b + tolerance for _, b in merged]

    def covers(self, a: float, b: float) -> bool:
        # the one stretch that could hold [a, b] is the last one starting at or before a
        index = bisect.bisect_right(self.starts, a) - 1
        return index >= 0 and b <= self.ends[index]


def find_tables(segments: list[Segment], tolerance: float) -> list[Table]:
    """Tables enclosed by ruling lines: grid positions from the rulings, a cell wherever
    four covered edges close a rectangle (so a merged cell is one big rectangle)."""
    horizontal = [s for s in segments if s.horizontal and abs(s.x1 - s.x0) > tolerance]
    vertical = [s for s in segments if not s.horizontal and abs(s.y1 - s.y0) > tolerance]
    if len(horizontal) < 2 or len(vertical) < 2:
        return []
    horizontal, vertical = _join_collinear(horizontal, True, tolerance), _join_collinear(vertical, False, tolerance)
    tables = []
    for group_h, group_v in _connected(horizontal, vertical, tolerance):
        table = _grid(group_h, group_v, tolerance)
        if table is not None:
            tables.append(table)
    return tables


def _join_collinear(segments: list[Segment], horizontal: bool, tolerance: float) -> list[Segment]:
    """Touching pieces of one line as one segment: borders are often drawn cell by cell,
    and a piece over a merged cell touches no crossing line of its own."""
    def position(s):
        return s.y0 if horizontal else s.x0

    def span(s):
        return (min(s.x0, s.x1), max(s.x0, s.x1)) if horizontal else (min(s.y0, s.y1), max(s.y0, s.y1))

    lines = _merge_positions([position(s) for s in segments], tolerance / 2)
    by_line: dict[float, list[tuple[float, float]]] = {}
    for s in segments:
        by_line.setdefault(lines[position(s)], []).append(span(s))
    joined = []
    for line, spans in by_line.items():
        merged: list[list[float]] = []
        for start, end in sorted(spans):
            if merged and start <= merged[-1][1] + tolerance:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        for start, end in merged:
            joined.append(Segment(start, line, end, line) if horizontal else Segment(line, start, line, end))
    return joined


def _connected(horizontal, vertical, tolerance):
    """Rulings that touch each other, grouped: each group is one table.

    Segments come normalised (``x0 <= x1``, ``y0 <= y1``) from ``_join_collinear``; the
    verticals are searched by position, so a page of many borders stays fast."""
    parent = list(range(len(horizontal) + len(vertical)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    order = sorted(range(len(vertical)), key=lambda j: vertical[j].x0)
    xs = [vertical[j].x0 for j in order]
    for i, h in enumerate(horizontal):
        for k in range(bisect.bisect_left(xs, h.x0 - tolerance), bisect.bisect_right(xs, h.x1 + tolerance)):
            v = vertical[order[k]]
            if v.y0 - tolerance <= h.y0 <= v.y1 + tolerance:
                parent[find(i)] = find(len(horizontal) + order[k])
    groups: dict[int, tuple[list, list]] = {}
    for index, segment in enumerate(horizontal):
        groups.setdefault(find(index), ([], []))[0].append(segment)
    for index, segment in enumerate(vertical):
        groups.setdefault(find(len(horizontal) + index), ([], []))[1].append(segment)
    return [g for g in groups.values() if len(g[0]) >= 2 and len(g[1]) >= 2]


def _grid(horizontal, vertical, tolerance) -> Table | None:
    y_of = _merge_positions([s.y0 for s in horizontal], tolerance)
    x_of = _merge_positions([s.x0 for s in vertical], tolerance)
    ys, xs = sorted(set(y_of.values())), sorted(set(x_of.values()))
    if len(ys) < 2 or len(xs) < 2:
        return None
    rows_cover = {y: _Coverage() for y in ys}
    cols_cover = {x: _Coverage() for x in xs}
    for s in horizontal:
        rows_cover[y_of[s.y0]].add(s.x0, s.x1)
    for s in vertical:
        cols_cover[x_of[s.x0]].add(s.y0, s.y1)
    for coverage in itertools.chain(rows_cover.values(), cols_cover.values()):
        coverage.finish(tolerance)
    rows: list[list[Cell]] = []
    taken: dict[tuple[int, int], Cell] = {}  # grid slots inside a cell already made
    for r, top in enumerate(ys[:-1]):
        row: list[Cell] = []
        for c, left in enumerate(xs[:-1]):
            if (r, c) in taken:
                continue
            cell = _close_cell(r, c, ys, xs, rows_cover, cols_cover)
            if cell is None:
                continue
            r1, c1 = cell
            made = Cell(left, top, xs[c1], ys[r1])
            for rr in range(r, r1):
                for cc in range(c, c1):
                    taken[(rr, cc)] = made
            row.append(made)
        if row:
            rows.append(row)
    if not rows or sum(len(row) for row in rows) < 2:
        return None
    return Table(xs, ys, rows, taken)


def _close_cell(r, c, ys, xs, rows_cover, cols_cover):
    """The smallest rectangle from grid corner (r, c) whose four sides are ruled."""
    top, left = ys[r], xs[c]
    # the right edge: the first vertical line right of ``left`` that covers this row band
    for c1 in range(c + 1, len(xs)):
        if not rows_cover[top].covers(left, xs[c1]):
            return None
        for r1 in range(r + 1, len(ys)):
            if not cols_cover[left].covers(top, ys[r1]):
                break
            if cols_cover[xs[c1]].covers(top, ys[r1]) and rows_cover[ys[r1]].covers(left, xs[c1]):
                return r1, c1
    return None


# ---------------------------------------------------------------- the page as text


def _cell_text(cell: Cell) -> str:
    return join_cell_lines([join_line(line) for line in text_lines(cell.pieces)])


def table_text(table: Table) -> list[str]:
    """One tab-separated line per grid row; a row whose cells are all empty is left out."""
    lines = []
    for row in table.rows:
        cells = [_cell_text(cell) for cell in row]
        if any(cells):
            lines.append("\t".join(text.replace("\t", " ") or EMPTY_CELL for text in cells))
    return lines


def page_text(pieces: list[Piece], segments: list[Segment], *, tolerance: float | None = None) -> str:
    """The page's text: its ruled tables as grid rows, everything else laid out by position."""
    if not pieces:
        return ""
    size = statistics.median(p.height for p in pieces) or 1.0
    tolerance = tolerance if tolerance is not None else max(size * 0.35, 1.0)
    tables = find_tables(segments, tolerance)
    loose: list[Piece] = []
    for piece in pieces:
        for table in tables:
            if table.x0 <= piece.cx <= table.x1 and table.top <= piece.cy <= table.bottom:
                cell = table.cell_at(piece.cx, piece.cy)
                if cell is None:
                    continue
                if piece.chars and not (cell.x0 <= piece.x0 + 1 and piece.x1 - 1 <= cell.x1):
                    # a word (an OCR line) across a column ruling: each character to its own cell
                    for char in (Piece(*c) for c in piece.chars):
                        (table.cell_at(char.cx, char.cy) or cell).pieces.append(char)
                else:
                    cell.pieces.append(piece)
                break
        else:
            loose.append(piece)
    left = min(p.x0 for p in pieces)
    widths = [(p.x1 - p.x0) / len(p.text) for p in pieces if p.text and not any(_cjk(ch) for ch in p.text)]
    char_width = statistics.median(widths) if widths else size / 2
    loose, edges = split_label_columns(loose, size)
    blocks: list[tuple[float, list[str]]] = [(y, [text]) for y, text in layout_lines(loose, left, char_width, edges)]
    for table in tables:
        blocks.append((table.top, [""] + table_text(table) + [""]))
    blocks.sort(key=lambda block: block[0])
    return "\n".join(line for _, lines in blocks for line in lines)


_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")


def split_label_columns(pieces: list[Piece], size: float) -> tuple[list[Piece], tuple[float, ...]]:
    """In a table printed without rulings, label columns touch: a group label and a row
    label in one word (（五）5.要求行政机关).  The rows holding three or more numbers
    show where the label columns start (their first words line up); words around those
    rows that run across such a start are cut there, and the start keeps a gap."""
    lines = text_lines(pieces)
    rows = [line for line in lines if sum(1 for p in line if _NUMBER.match(p.text)) >= 3]
    if len(rows) < 3:
        return pieces, ()
    starts = sorted(line[0].x0 for line in rows if not _NUMBER.match(line[0].text))
    edges = [statistics.fmean(group) for group in _clusters(starts, 0.3 * size) if len(group) >= 3]
    if len(edges) < 2:
        return pieces, tuple(edges)
    top = min(p.top for line in rows for p in line) - 4 * size
    bottom = max(p.bottom for line in rows for p in line) + 4 * size
    out = []
    for piece in pieces:
        if not piece.chars or not top <= piece.cy <= bottom:
            out.append(piece)
            continue
        # only where a row label's numbering starts after a group label's closing bracket
        cuts = [i for i, ch in enumerate(piece.chars) if i and any(abs(ch[1] - e) < 0.3 * size for e in edges)
                and (piece.chars[i - 1][0] in "）)" or ch[0] in "（(0123456789")]
        if not cuts:
            out.append(piece)
            continue
        for a, b in itertools.pairwise([0, *cuts, len(piece.chars)]):
            out.extend(join_chars(piece.chars[a:b]))
    return out, tuple(edges)


def _clusters(values: list[float], tolerance: float) -> list[list[float]]:
    groups: list[list[float]] = []
    for value in sorted(values):
        if groups and value - groups[-1][-1] <= tolerance:
            groups[-1].append(value)
        else:
            groups.append([value])
    return groups
