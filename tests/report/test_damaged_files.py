"""Damaged copies of real layouts — cut short, bytes overwritten, pieces lost or repeated — are
either read (a partial report with issues) or refused with a Chinese reason; never a traceback.

The damage is drawn from a fixed seed per file, so every run tries the same copies.
"""

import random

import pytest
from tests.conftest import FIXTURES
from tests.damage import damaged

from gongkai.errors import GongkaiError
from gongkai.report.read import read_report

# .doc goes through LibreOffice, seconds per file: its damage is LibreOffice's to survive.
LAYOUTS = sorted(p for p in (FIXTURES / "layouts").iterdir() if p.suffix in {".txt", ".md", ".html", ".docx", ".pdf"})
COPIES_PER_FILE = 4


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda p: p.name)
def test_a_damaged_copy_is_read_or_refused_with_a_reason(layout):
    rng = random.Random(layout.name)
    original = layout.read_bytes()
    for copy in range(COPIES_PER_FILE):
        how, data = damaged(original, rng)
        try:
            report = read_report(data, filename=layout.name)
        except GongkaiError as error:
            assert layout.name in str(error) and any("\u4e00" <= ch <= "\u9fff" for ch in error.message)
        except Exception as error:  # noqa: BLE001 - the point of the test
            pytest.fail(f"copy {copy} ({how}) of {layout.name}: {type(error).__name__}: {error}")
        else:
            report.to_json()
