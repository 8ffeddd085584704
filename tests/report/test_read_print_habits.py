"""Habits of real reports that the seeds do not all show, applied to every seed: the same cells come out.

Each habit is one edit of the seed text that a real office makes (Windows line ends, 合计 for 总计,
full-width digits, half-width brackets, spaced labels, a dash for an empty cell).
"""

import re

import pytest
from tests.conftest import SEEDS
from tests.report.test_read_seeds import COMPARED, differences, expected_for

from gongkai.report.read import read_report

ZERO_CELL = re.compile(r"(?m)(^|\t|\| ?| {2,})0(?=\t|$| {2,}| ?\|)")

HABITS = {
    "windows_line_ends": lambda text: text.replace("\n", "\r\n"),
    "heji_for_zongji": lambda text: text.replace("总计", "合计"),
    "fullwidth_digits": lambda text: text.translate(str.maketrans("0123456789", "０１２３４５６７８９")),
    "halfwidth_brackets": lambda text: text.replace("（", "(").replace("）", ")"),
    "spaced_labels": lambda text: text.replace("予以公开", "予 以 公 开").replace("不予公开", "不予 公开"),
    "fullwidth_item_dots": lambda text: re.sub(r"(?m)^(\s*)(\d)\.", r"\1\2．", text),
    "no_blank_lines": lambda text: re.sub(r"\n\s*\n", "\n", text),
}


@pytest.mark.parametrize("habit", HABITS)
@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem[:3])
def test_a_print_habit_does_not_change_a_cell(seed, habit):
    text = HABITS[habit](seed.read_text(encoding="utf-8"))
    expected = expected_for(seed.stem + ".json")
    report = read_report(text.encode("utf-8"), filename=seed.name).to_json()
    assert differences({k: report[k] for k in COMPARED}, {k: expected[k] for k in COMPARED if k in expected}) == []


@pytest.mark.parametrize("seed", [s for s in SEEDS if ZERO_CELL.search(s.read_text(encoding="utf-8"))],
                         ids=lambda p: p.stem[:3])
def test_a_dash_for_an_empty_cell_is_null_and_keeps_every_other_cell_in_place(seed):
    """``—`` states no number: null with a warning, never 0, and the cells after it do not shift."""
    text = ZERO_CELL.sub(lambda m: m.group(1) + "—", seed.read_text(encoding="utf-8"))
    expected = expected_for(seed.stem + ".json")
    report = read_report(text.encode("utf-8"), filename=seed.name).to_json()
    read_numbers = nulls = stated = 0
    for table in ("proactive", "applications", "appeals"):
        for row, cells in (expected[table] or {}).items():
            for column, number in (cells or {}).items():
                actual = (report[table] or {}).get(row, {})[column]
                stated += bool(number)  # a number other than 0 kept its digits
                if actual is None:
                    nulls += 1
                else:
                    read_numbers += 1
                    assert actual == number, f"{table}.{row}.{column}"
    assert nulls > 0 and read_numbers >= stated
    assert "cells.blank" in {issue["rule"] for issue in report["issues"]}
