"""Damaged ledgers — CSV in UTF-8 or GBK, and XLSX — are read with their bad rows listed, or refused
with a Chinese reason naming the file; never a traceback. Seeded, so every run tries the same copies."""

import io
import random

import openpyxl
import pytest
from tests.damage import damaged
from tests.ledger.ledgers import HEADERS, csv_text

from gongkai.errors import GongkaiError
from gongkai.ledger import check_ledger, read_ledger, report_from_ledger

ROWS = [[f"GK-{n:03d}", f"2024-{n % 9 + 1:02d}-1{n % 10}", ["自然人", "商业企业", "其他"][n % 3],
         "" if n % 4 else f"2024-10-{n % 20 + 10}", "" if n % 4 else ["予以公开", "部分公开", "不予公开/保护第三方合法权益"][n % 3]]
        for n in range(80)]
COPIES = 40


def xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(HEADERS)
    for row in ROWS:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.mark.parametrize(("name", "original"), [
    ("台账.csv", csv_text(ROWS).encode("utf-8-sig")),
    ("台账-gbk.csv", csv_text(ROWS).encode("gbk")),
    ("台账.xlsx", xlsx_bytes()),
], ids=["csv-utf8", "csv-gbk", "xlsx"])
def test_a_damaged_ledger_is_read_with_its_errors_or_refused(tmp_path, name, original):
    rng = random.Random(name)
    path = tmp_path / name
    for copy in range(COPIES):
        how, data = damaged(original, rng)
        path.write_bytes(data)
        try:
            ledger = read_ledger(path)
            check_ledger(ledger, year=2024)
            report_from_ledger(ledger, year=2024)
        except GongkaiError as error:
            assert name in str(error) and any("\u4e00" <= ch <= "\u9fff" for ch in error.message)
        except Exception as error:  # noqa: BLE001 - the point of the test
            pytest.fail(f"copy {copy} ({how}) of {name}: {type(error).__name__}: {error}")
