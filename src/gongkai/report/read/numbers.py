"""Numbers of one table row: tokens in, candidate value vectors out.

A row's text between its label and the next label holds its cells.  Usually each cell
is its own token.  Crawler dumps run cells together (``640020470`` is 64, 0, 0, 2, 0, 4,
70), some exports add or drop cells.  ``row_candidates`` returns every reading of the
tokens that the row's own arithmetic allows; the table-level resolver narrows them
further with the column rules, and a cell that stays ambiguous becomes ``None`` with an
issue — never a guess.
"""

from __future__ import annotations

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
    negative or fractional.  ``floors`` lists index groups whose sum cannot be negative
    (2019 table 二: 上一年项目数量 + 本年增/减 is this year's number of items).
    """

    size: int
    sums: tuple[tuple[tuple[int, ...], int], ...] = ()
    signed: frozenset[int] = frozenset()
    decimal: frozenset[int] = frozenset()
    floors: tuple[tuple[int, ...], ...] = ()


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
    for group in shape.floors:
        if all(values[i] is not None for i in group) and sum(values[i] for i in group) < 0:
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
    """Readings of run-together digit tokens as ``shape.size`` cells.

    The cells are cut one after another from the tokens (a cell never spans two tokens:
    a space in the source is a real boundary).  A piece has no leading zero, a sign only
    at the start of its token and only in a signed cell, a decimal point only in a
    decimal cell.  The row's sums steer the cutting: a total whose parts are cut is the
    one piece their sum prints as; a total printed last (table 三's 总计) is taken first,
    as each possible tail of the row, and then bounds its parts, the last of which is
    forced.  So the search walks only through readings that can still add up.
    """
    texts = [t.text for t in tokens]
    last = shape.size - 1
    tail_group = next((parts for parts, total in shape.sums if total == last and last not in shape.decimal
                       and not set(parts) & shape.signed), None)
    if tail_group is None or not texts or texts[-1] is None or "," in texts[-1] or "." in texts[-1]:
        return _cut(texts, shape, {}) or []
    readings: list[tuple] = []
    digits = texts[-1].lstrip("+")
    for length in range(1, len(digits) + 1):
        tail = digits[-length:]
        if len(tail) > 1 and tail[0] == "0":
            continue
        head = texts[-1][:len(texts[-1]) - length]
        rest = [*texts[:-1], head] if head else texts[:-1]
        if not rest or len(tail_group) == last and sum(len(t or "") for t in rest) > last * length:
            continue  # every other cell is a part, none longer than the total: they cannot fill that many digits
        head_shape = RowShape(last, (), shape.signed, shape.decimal, tuple(g for g in shape.floors if last not in g))
        found = _cut(rest, head_shape, {last: int(tail)}, sums=shape.sums)
        if found is None:
            return []
        readings += [(*r, int(tail)) for r in found if satisfies((*r, int(tail)), shape)]
    return readings


def _cut(texts: list[str | None], shape: RowShape, known: dict[int, Number], *, sums=None) -> list[tuple] | None:
    """Every way to cut ``texts`` into ``shape.size`` cells (see ``_split_readings``).

    ``known`` holds totals already fixed (beyond ``shape.size``) and ``sums`` the groups
    that refer to them.  None when the search ran out of budget.
    """
    n = shape.size
    sums = shape.sums if sums is None else sums
    groups = [(parts, total) for parts, total in sums if not set(parts) & shape.signed]
    readings: list[tuple] = []
    budget = [MAX_READINGS]
    room_after = [sum(len(t or " ") for t in texts[i + 1:]) for i in range(len(texts))]
    # Cells that are parts of a group whose total is already known: their digits are
    # bounded by what is left of that total.
    bounded_by = {i: (parts, total) for parts, total in groups if total in known for i in parts}

    def fits(piece: str, index: int, token_start: bool) -> bool:
        digits = piece.lstrip("+-")
        if not digits or digits[0] == "." or digits[-1] == ".":
            return False
        if piece[:1] in "+-" and (index not in shape.signed or not token_start):
            return False
        if "." in digits and index not in shape.decimal:
            return False
        whole = digits.split(".")[0]
        return not (len(whole) > 1 and whole[0] == "0")

    def value_of(cells: list, index: int):
        return known.get(index) if index >= len(cells) else cells[index]

    def forced_piece(cells: list, index: int) -> str | None | bool:
        """The piece this cell must be, False if none can do, None if it is free."""
        if index in shape.decimal:
            return None
        for parts, total in groups:
            if index == total and all(i < index for i in parts):
                values = [cells[i] for i in parts]
                if None not in values:
                    return str(sum(values))
            if index in parts and total in known and all(i < index for i in parts if i != index):
                others = [cells[i] for i in parts if i != index]
                if None not in others:
                    rest = known[total] - sum(others)
                    return str(rest) if rest >= 0 else False
        return None

    def within_bounds(cells: list) -> bool:
        for parts, total in groups:
            bound = value_of(cells, total) if total in known or total < len(cells) else None
            if bound is None:
                continue
            cut = [cells[i] for i in parts if i < len(cells) and cells[i] is not None]
            if sum(cut) > bound:
                return False
        return True

    def room_fits(cells: list, chars: int) -> bool:
        """Can the characters left still be cut into the cells left, each within its bound?"""
        left = range(len(cells), n)
        if not left or not all(i in bounded_by for i in left):
            return True
        most = 0
        for i in left:
            parts, total = bounded_by[i]
            rest = known[total] - sum(cells[j] for j in parts if j < len(cells) and cells[j] is not None)
            most += len(str(max(rest, 0)))
        return chars <= most

    every_group = [(tuple(parts), total) for parts, total in sums] + [(tuple(g), None) for g in shape.floors]
    dead: set = set()

    def state(token: int, offset: int, cells: list) -> tuple:
        """What the rest of the search depends on: the position and the open groups' partial sums."""
        cut = len(cells)
        partial = []
        for parts, total in every_group:
            members = (*parts, total) if total is not None and total < n else parts
            if any(i < cut for i in members) and any(i >= cut for i in members):
                partial.append((sum(cells[i] or 0 for i in parts if i < cut),
                                cells[total] if total is not None and total < cut else None))
        return token, offset, cut, tuple(partial)

    def search(token: int, offset: int, cells: list):
        key = state(token, offset, cells)
        if key in dead:
            return
        found = len(readings)
        explore(token, offset, cells)
        if len(readings) == found and budget[0] >= 0:
            dead.add(key)

    def explore(token: int, offset: int, cells: list):
        budget[0] -= 1
        if budget[0] < 0:
            return
        index = len(cells)
        if token == len(texts):
            if index == n:
                values = tuple(cells)
                full = tuple(value_of(values, i) for i in range(max([n, *known]) + 1)) if known else values
                if satisfies(values, shape) and _sums_hold(full, sums) and values not in readings:
                    readings.append(values)
            return
        if index == n or n - index < len(texts) - token:
            return  # every remaining token needs a cell of its own
        text = texts[token]
        if text is None:
            if offset == 0:
                search(token + 1, 0, [*cells, None])
            return
        forced = forced_piece(cells, index)
        if forced is False:
            return
        if forced is not None:
            ends = [offset + len(forced)] if text.startswith(forced, offset) else []
        elif "," in text:
            ends = [len(text)]  # thousands commas: the token was printed as one number
        else:
            ends = range(offset + 1, len(text) + 1)
        for stop in ends:
            if stop < len(text) and text[stop] == ".":
                continue
            piece = text[offset:stop]
            if not fits(piece, index, offset == 0):
                continue
            if room_after[token] + (len(text) - stop) < n - index - 1:
                break  # longer pieces leave even less room
            trial = [*cells, parse_number(piece, decimal=index in shape.decimal)]
            if not within_bounds(trial):
                if any(index in parts for parts, _ in groups):
                    break  # a longer part is a larger number
                continue
            if not room_fits(trial, room_after[token] + len(text) - stop):
                continue
            search(token + 1, 0, trial) if stop == len(text) else search(token, stop, trial)

    search(0, 0, [])
    return None if budget[0] < 0 else readings


def _sums_hold(values: tuple, sums) -> bool:
    for parts, total in sums:
        if total >= len(values) or values[total] is None or any(values[i] is None for i in parts):
            continue
        if abs(sum(values[i] for i in parts) - values[total]) > 1e-9:
            return False
    return True


def agreed(readings: list[tuple]) -> tuple:
    """Cell by cell, the value all readings agree on, else None."""
    if not readings:
        return ()
    first = readings[0]
    return tuple(value if all(r[i] == value for r in readings) else None for i, value in enumerate(first))
