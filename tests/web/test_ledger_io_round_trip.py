"""Ledger import and export (spec/ledger.md): round trip exact, bad rows reported, nothing stored twice."""

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from tests.web.factories import AgencyFactory

from gongkai.ledger import LedgerHasErrors
from gongkai.web.agencies.models import Agency
from gongkai.web.annual.build import annual_report
from gongkai.web.cases import services as s
from gongkai.web.cases.ledger_io import ledger_export, ledger_import
from gongkai.web.cases.models import Application
from gongkai.web.demo.load import load_seed_data

EXPECTED = sorted((Path(__file__).parents[1] / "fixtures" / "expected").glob("*.json"))


def _tables(report) -> dict:
    data = report.to_json()
    return {key: value for key, value in data.items() if key not in ("agency", "source")}


def _handled_cases(world) -> None:
    """A few applications through 补正, consultation, extension and answer, one left open."""
    u = world.users
    a = world.register(received_on=date(2024, 3, 1)).application
    a = s.application_start_review(application=a, acting_user=u["intake"])
    a = s.application_request_correction(application=a, acting_user=u["intake"], requested_on=date(2024, 3, 4))
    a = s.application_receive_correction(application=a, acting_user=u["intake"], received_on=date(2024, 3, 8))
    a = s.application_accept(application=a, acting_user=u["handler"])
    a = s.application_start_consultation(application=a, acting_user=u["handler"], party="某公司", start_on=date(2024, 3, 11))
    a = s.application_end_consultation(application=a, acting_user=u["handler"], end_on=date(2024, 3, 20))
    a = s.application_request_extension(application=a, acting_user=u["handler"], days=10, reason="检索量大")
    a = s.application_approve_extension(application=a, acting_user=u["signer"], approved_on=date(2024, 3, 25))
    a = s.application_draft_reply(application=a, acting_user=u["handler"], outcome="partially_granted",
                                withheld_reason="涉及商业秘密")
    a = s.application_approve_review(application=a, acting_user=u["reviewer"])
    a = s.application_sign(application=a, acting_user=u["signer"])
    s.application_deliver(application=a, acting_user=u["intake"], on=date(2024, 4, 15))
    b = world.register(received_on=date(2024, 6, 3), applicant_type="commercial").application
    b = s.application_start_review(application=b, acting_user=u["intake"])
    b = s.application_request_correction(application=b, acting_user=u["intake"], requested_on=date(2024, 6, 5))
    s.application_abandon(application=b, acting_user=u["intake"], on=date(2024, 6, 28))
    world.register(received_on=date(2024, 12, 30), applicant_type="legal_service")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_round_trip_of_handled_cases(world, tmp_path, fmt):
    _handled_cases(world)
    first = ledger_export(agency=world.street, year=2024, fmt=fmt)
    path = tmp_path / f"台账.{fmt}"
    path.write_bytes(first)
    empty = AgencyFactory(full_name="导入测试机构")
    assert ledger_import(agency=empty, path=path).created == 3
    assert ledger_export(agency=empty, year=2024, fmt=fmt) == first
    assert _tables(annual_report(empty, 2024)) == _tables(annual_report(world.street, 2024))
    deadlines = {a.received_on: a.reply_deadline().due for a in Application.objects.filter(agency=world.street)}
    assert {a.received_on: a.reply_deadline().due for a in Application.objects.filter(agency=empty)} == deadlines


def test_csv_has_bom_chinese_headers_and_row_keys(world):
    _handled_cases(world)
    data = ledger_export(agency=world.street, year=2024, fmt="csv")
    assert data.startswith("\ufeff申请编号,收到申请日期,申请人类型,办结日期,办理结果".encode())
    text = data.decode("utf-8-sig")
    assert "partially_granted" in text and "other.no_correction" in text and "自然人" in text


@pytest.mark.slow
@pytest.mark.parametrize("path", EXPECTED[:2], ids=lambda p: p.stem)
def test_round_trip_of_a_seed_agency(db, tmp_path, path):
    load_seed_data()
    expected = json.loads(path.read_text(encoding="utf-8"))
    agency = Agency.objects.get(full_name=expected["agency"])
    first = ledger_export(agency=agency, year=2021, fmt="csv")
    (tmp_path / "seed.csv").write_bytes(first)
    copy = AgencyFactory(full_name="种子机构副本")
    ledger_import(agency=copy, path=tmp_path / "seed.csv")
    assert ledger_export(agency=copy, year=2021, fmt="csv") == first
    assert annual_report(copy, 2021).to_json()["applications"] == expected["applications"]


def test_reimport_does_not_duplicate(world, tmp_path):
    _handled_cases(world)
    path = tmp_path / "l.csv"
    path.write_bytes(ledger_export(agency=world.street, year=2024, fmt="csv"))
    other = AgencyFactory(full_name="另一机构")
    assert ledger_import(agency=other, path=path).created == 3
    again = ledger_import(agency=other, path=path)
    assert (again.created, again.existing) == (0, 3)
    assert Application.objects.filter(agency=other).count() == 3
    # into the agency it came from: matched on its own numbers
    assert ledger_import(agency=world.street, path=path).created == 0


BAD = """\ufeff申请编号,收到申请日期,申请人类型,办结日期,办理结果,申请方式
A1,2024-03-01,自然人,2024-03-20,予以公开,网上
A2,2024-02-30,自然人,,,信函
A3,2024-03-05,外星人,2024-03-01,予以公开,当面
A1,2024-03-06,自然人,,,飞鸽
"""


def test_bad_rows_are_all_reported_and_nothing_is_stored(db, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(BAD, encoding="utf-8")
    agency = AgencyFactory()
    with pytest.raises(LedgerHasErrors) as caught:
        ledger_import(agency=agency, path=path)
    found = {(e.row, e.column, e.value) for e in caught.value.errors}
    assert (3, "收到申请日期", "2024-02-30") in found
    assert (4, "申请人类型", "外星人") in found
    assert (4, "办结日期", "2024-03-01") in found
    assert {(2, "申请编号", "A1"), (5, "申请编号", "A1")} <= found
    assert all("第" in str(e) and "行" in str(e) for e in caught.value.errors)
    assert Application.objects.filter(agency=agency).count() == 0


def test_unknown_channel_is_a_row_error_and_nothing_is_stored(db, tmp_path):
    path = tmp_path / "channel.csv"
    path.write_text("申请编号,收到申请日期,申请人类型,申请方式\nA1,2024-03-01,自然人,网上\nA2,2024-03-02,自然人,飞鸽\n",
                    encoding="utf-8")
    agency = AgencyFactory()
    with pytest.raises(LedgerHasErrors) as caught:
        ledger_import(agency=agency, path=path)
    assert [(e.row, e.column, e.value) for e in caught.value.errors] == [(3, "申请方式", "飞鸽")]
    assert "申请方式" in str(caught.value.errors[0])
    assert not Application.objects.filter(agency=agency).exists()


def test_xlsx_has_date_cells(world):
    _handled_cases(world)
    import io

    sheet = openpyxl.load_workbook(io.BytesIO(ledger_export(agency=world.street, year=2024, fmt="xlsx"))).active
    assert [c.value for c in sheet[1]][:3] == ["申请编号", "收到申请日期", "申请人类型"]
    assert sheet["B2"].is_date


def _gongkai(*args, env):
    return subprocess.run([sys.executable, "-m", "gongkai", *args], capture_output=True, text=True, env=env,
                          timeout=300)


@pytest.mark.slow
def test_cli_import_and_export(tmp_path):
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["GONGKAI_DEBUG"] = "1"
    assert _gongkai("demo", "--load-only", "--data-dir", str(tmp_path), env=env).returncode == 0
    expected = json.loads(EXPECTED[0].read_text(encoding="utf-8"))
    out = tmp_path / "out.xlsx"
    exported = _gongkai("ledger", "export", "--agency", expected["agency"], "--year", "2021", "-o", str(out),
                        "--data-dir", str(tmp_path), env=env)
    assert exported.returncode == 0, exported.stderr
    imported = _gongkai("ledger", "import", str(out), "--agency", expected["agency"], "--data-dir", str(tmp_path),
                        env=env)
    assert imported.returncode == 0, imported.stderr
    assert "导入 0 件申请" in imported.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD, encoding="utf-8")
    failed = _gongkai("ledger", "import", str(bad), "--agency", expected["agency"], "--data-dir", str(tmp_path),
                      env=env)
    assert failed.returncode == 1 and "第 3 行「收到申请日期」列「2024-02-30」" in failed.stderr


def test_xlsx_export_carries_no_clock_time(world):
    """Equal ledgers give equal bytes, even when the two exports straddle a second."""
    import zipfile
    from io import BytesIO

    _handled_cases(world)
    data = ledger_export(agency=world.street, year=2024, fmt="xlsx")
    with zipfile.ZipFile(BytesIO(data)) as archive:
        core = archive.read("docProps/core.xml").decode()
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert "<dcterms:modified" in core and "2000-01-01T00:00:00Z</dcterms:modified>" in core
