"""Numbers of one table row: tokens in, candidate value vectors out.

A row's text between its label and the next label holds its cells.  Usually each cell
is its own token.  Crawler dumps run cells together (``640020470`` is 64, 0, 0, 2, 0, 4,
70), some exports add or drop cells.  ``row_candidates`` returns every reading of the
tokens that the row's own arithmetic allows; the table-level resolver narrows them
further with the column rules, and a cell that stays ambiguous becomes ``None`` with an
issue — never a guess.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from .text import EMPTY_CELL

Number = int | float

# A number cell: optional sign, digits with optional thousands commas, optional decimals;
# or a placeholder for a blank cell (— / － / /, or an empty grid cell).
_TOKEN = re.compile(
    r"(?P<num>[+-]?\d+(?:,\d{3})*(?:\.\d+)?)"
    r"|(?P<blank>" + EMPTY_CELL + r"|(?<![^\s|])(?:-{1,2}|—{1,2}|–|/|无)(?![^\s|]))"
)
# Enumerating splits of long digit runs is exponential; beyond this many readings the
# row is left unresolved.
MAX_READINGS = 20000


@dataclass(frozen=True)
class Token:
    text: str | None  # None for a blank cell
    start: int = 0  # position in the document text
    end: int = 0

    @property
    def splittable(self) -> bool:
        return self.text is not None and self.text.lstrip("+-").isdigit() and len(self.text.lstrip("+-")) > 1


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    end = len(text) if end is None else end
    return [Token(m.group("num"), m.start(), m.end()) for m in _TOKEN.finditer(text, start, end)]


@dataclass(frozen=True)
class RowShape:
    """How many cells a row has and which arithmetic holds between them.

    ``sums`` lists (parts, total) index groups: the cell at ``total`` equals the sum of
    the cells at ``parts``.  ``signed`` and ``decimal`` name cell indexes that may be
    negative or fractional.
    """

    size: int
    sums: tuple[tuple[tuple[int, ...], int], ...] = ()
    signed: frozenset[int] = frozenset()
    decimal: frozenset[int] = frozenset()


def parse_number(text: str | None, *, decimal: bool = False) -> Number | None:
    if text is None:
        return None
    clean = text.replace(",", "").lstrip("+")
    if decimal:
        return float(clean)
    if "." in clean:
        value = float(clean)
        return value if decimal or not value.is_integer() else int(value)
    return int(clean)


def satisfies(values: tuple, shape: RowShape) -> bool:
    for parts, total in shape.sums:
        if values[total] is None or any(values[i] is None for i in parts):
            continue
        if abs(sum(values[i] for i in parts) - values[total]) > 1e-9:
            return False
    return True


def _valid(value_text: str, index: int, shape: RowShape) -> bool:
    digits = value_text.lstrip("+-")
    if value_text[:1] in "+-" and index not in shape.signed:
        return False
    return not ("." in digits and index not in shape.decimal)


def row_candidates(tokens: list[Token], shape: RowShape, *, allow_split: bool) -> list[tuple]:
    """Every reading of ``tokens`` as ``shape.size`` cells that the row's sums allow.

    Tokens already separated in the source are taken as printed: with exactly the right
    count the single reading is returned even if its sums fail (the checks report that).
    More tokens than cells give no reading: which of them are the row's is a question of
    layout (``tables`` answers it from lines and labels), never of which window happens to
    add up — a run of zeros adds up anywhere.
    """
    n = shape.size
    tokens = trim_blanks(tokens, n)
    if len(tokens) == n:
        if not all(t.text is None or _valid(t.text, i, shape) for i, t in enumerate(tokens)):
            return []
        return [tuple(parse_number(t.text, decimal=i in shape.decimal) for i, t in enumerate(tokens))]
    if len(tokens) > n or not allow_split or not tokens:
        return []
    return _split_readings(tokens, shape)


def trim_blanks(tokens: list[Token], n: int) -> list[Token]:
    """Blank cells at either end of a segment with more tokens than cells (a pipe row's empty last cell)."""
    tokens = list(tokens)
    while len(tokens) > n and tokens[0].text is None:
        tokens.pop(0)
    while len(tokens) > n and tokens[-1].text is None:
        tokens.pop()
    return tokens


def _split_readings(tokens: list[Token], shape: RowShape) -> list[tuple]:
    """Readings of run-together digit tokens as ``shape.size`` cells."""
    n = shape.size
    extra = n - len(tokens)  # how many more cells the splits must produce
    # capacity_after[i]: how many extra cells the tokens from i on can still produce
    capacity_after = [0] * (len(tokens) + 1)
    for i in range(len(tokens) - 1, -1, -1):
        own = len(tokens[i].text.lstrip("+-")) - 1 if tokens[i].splittable else 0
        capacity_after[i] = capacity_after[i + 1] + own
    if extra > capacity_after[0]:
        return []
    readings: list[tuple] = []
    budget = [MAX_READINGS]

    def pieces(text: str, count: int, first_index: int):
        """Ways to cut a digit string into ``count`` numbers without leading zeros."""
        sign = text[0] if text[0] in "+-" else ""
        digits = text[len(sign):]
        for cuts in itertools.combinations(range(1, len(digits)), count - 1):
            budget[0] -= 1
            if budget[0] < 0:
                return
            bounds = (0, *cuts, len(digits))
            parts = [digits[a:b] for a, b in itertools.pairwise(bounds)]
            if any(len(p) > 1 and p[0] == "0" for p in parts):
                continue
            parts[0] = sign + parts[0]
            if sign and first_index not in shape.signed:
                continue
            yield parts

    def extend(position: int, remaining_extra: int, cells: list[str | None]):
        if budget[0] < 0:
            return
        if position == len(tokens):
            if remaining_extra == 0:
                values = tuple(parse_number(c, decimal=i in shape.decimal) for i, c in enumerate(cells))
                if satisfies(values, shape) and values not in readings:
                    readings.append(values)
            return
        token = tokens[position]
        if not token.splittable:
            if token.text is not None and not _valid(token.text, len(cells), shape):
                return
            extend(position + 1, remaining_extra, [*cells, token.text])
            return
        max_cut = min(remaining_extra, len(token.text.lstrip("+-")) - 1)
        min_cut = max(0, remaining_extra - capacity_after[position + 1])
        for cut in range(min_cut, max_cut + 1):
            for parts in pieces(token.text, cut + 1, len(cells)):
                extend(position + 1, remaining_extra - cut, cells + parts)

    extend(0, extra, [])
    if budget[0] < 0:
        return []
    return readings


def agreed(readings: list[tuple]) -> tuple:
    """Cell by cell, the value all readings agree on, else None."""
    if not readings:
        return ()
    first = readings[0]
    return tuple(value if all(r[i] == value for r in readings) else None for i, value in enumerate(first))
