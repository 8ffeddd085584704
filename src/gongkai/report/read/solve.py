"""Rows with several readings, narrowed by the table's linear rules (勾稽关系).

Each row of a run-together table comes with every reading its own digits allow
(``numbers.row_candidates``).  The table's rules tie rows together: for table 三,
一 + 二 = （七）总计 + 四 and （七）总计 = the sum of the outcomes, column by column.
``narrow`` searches the combinations of readings that keep every rule and returns, for
each row, the reading all of them share; a cell on which they differ is None.  The
search is exact, so a cell is filled only where a single value fits every rule — and it
gives up (every undecided row stays None) rather than guess when it runs out of budget.

The rules are only evidence when the table keeps them: if rows read without any doubt
already break one, the table was published with an arithmetic error, and its arithmetic
cannot vouch for how another row's digits split.
"""

from __future__ import annotations

from dataclasses import dataclass

# Search nodes allowed for one table; beyond that nothing is decided.
BUDGET = 200_000


@dataclass(frozen=True)
class Rule:
    """sum(coefficient × cell) == 0 over (row, column, coefficient) terms; cells are non-negative."""

    terms: tuple[tuple[str, int, int], ...]


def narrow(choices: dict[str, list[tuple]], rules: list[Rule], *, budget: int = BUDGET) -> dict[str, tuple | None]:
    """For each row of ``choices``: the values every rule-keeping combination agrees on.

    A row with one reading keeps it.  A row whose readings cannot be narrowed — no
    combination keeps the rules, the rules are broken by undoubted rows, or the budget
    runs out — maps to None.
    """
    fixed = {key: options[0] for key, options in choices.items() if len(options) == 1}
    open_rows = sorted((key for key, options in choices.items() if len(options) > 1), key=lambda k: len(choices[k]))
    result: dict[str, tuple | None] = {**fixed, **dict.fromkeys(open_rows)}
    for key, options in choices.items():
        if not options:
            result[key] = None
    if not open_rows:
        return result
    rules = [r for r in rules if all(row in choices and choices[row] for row, _, _ in r.terms)]
    if any(_broken(rule, fixed) for rule in rules if all(row in fixed for row, _, _ in rule.terms)):
        return result
    live = [r for r in rules if any(row in open_rows for row, _, _ in r.terms)]
    by_row = {key: [r for r in live if any(row == key for row, _, _ in r.terms)] for key in open_rows}
    seen: dict[str, set[tuple]] = {key: set() for key in open_rows}
    nodes = [budget]
    assigned = dict(fixed)

    def undecided() -> bool:
        return any(len(values) < 2 or _agreeing(values) for values in seen.values())

    def search(depth: int) -> bool:
        """False when the search must stop (budget spent, or nothing more can be learned)."""
        nodes[0] -= 1
        if nodes[0] < 0:
            return False
        if depth == len(open_rows):
            for key in open_rows:
                seen[key].add(assigned[key])
            return undecided()
        key = open_rows[depth]
        for reading in choices[key]:
            assigned[key] = reading
            if all(_possible(rule, assigned) for rule in by_row[key]) and not search(depth + 1):
                del assigned[key]
                return False
        del assigned[key]
        return True

    search(0)
    if nodes[0] < 0:
        return result
    for key in open_rows:
        values = seen[key]
        if not values:
            continue
        first = next(iter(values))
        result[key] = tuple(v if all(other[i] == v for other in values) else None for i, v in enumerate(first))
    return result


def _agreeing(values: set[tuple]) -> bool:
    """Do these readings still agree on some cell (so more combinations could tell)?"""
    first = next(iter(values))
    return any(all(other[i] == v for other in values) for i, v in enumerate(first))


def _broken(rule: Rule, values: dict[str, tuple]) -> bool:
    cells = [(coefficient, values[row][column]) for row, column, coefficient in rule.terms]
    if any(value is None for _, value in cells):
        return False
    return abs(sum(c * v for c, v in cells)) > 1e-9


def _possible(rule: Rule, assigned: dict[str, tuple]) -> bool:
    """Can the rule still hold, given that every cell not yet assigned is non-negative?"""
    total = 0
    rising = falling = False
    for row, column, coefficient in rule.terms:
        values = assigned.get(row)
        value = values[column] if values is not None else None
        if values is None:
            rising |= coefficient > 0
            falling |= coefficient < 0
        elif value is None:
            return True  # a blank cell: the rule says nothing
        else:
            total += coefficient * value
    if rising and falling:
        return True
    if rising:
        return total <= 1e-9
    if falling:
        return total >= -1e-9
    return abs(total) <= 1e-9
