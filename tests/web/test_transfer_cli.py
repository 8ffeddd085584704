"""The commands as an operator runs them: backup, restore, export, import — one line in Chinese when refused."""

import json
import os
import sqlite3
import subprocess
import sys
import zipfile

import pytest

AGENCY = "栖霞区人民政府办公室"


def gongkai(*args, data_dir):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["GONGKAI_DEBUG"] = "1"
    return subprocess.run([sys.executable, "-m", "gongkai", *args, "--data-dir", str(data_dir)],
                          capture_output=True, text=True, env=env, timeout=300)


def count(data_dir, table):
    db = sqlite3.connect(data_dir / "gongkai.sqlite3")
    try:
        return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 — a fixed table name
    finally:
        db.close()


@pytest.mark.slow
def test_the_operator_moves_an_agency_and_backs_up_and_restores_a_site(tmp_path):
    site, other = tmp_path / "site", tmp_path / "other"
    assert gongkai("demo", "--load-only", data_dir=site).returncode == 0

    exported = gongkai("export", "--agency", AGENCY, "-o", str(tmp_path / "agency.zip"), data_dir=site)
    assert exported.returncode == 0, exported.stderr
    assert "已导出" in exported.stdout and "个人信息" in exported.stdout
    assert count(site, "transfer_transferrecord") == 1  # the export is on record
    with zipfile.ZipFile(tmp_path / "agency.zip") as zf:
        assert json.loads(zf.read("manifest.json"))["agency"]["full_name"] == AGENCY

    imported = gongkai("import", str(tmp_path / "agency.zip"), data_dir=other)
    assert imported.returncode == 0, imported.stderr
    assert "已导入" in imported.stdout and "changepassword" in imported.stdout
    assert count(other, "cases_application") == 37  # the agency's cases, not the other seed agencies
    again = gongkai("import", str(tmp_path / "agency.zip"), data_dir=other)
    assert again.returncode == 2 and "本站已有" in again.stderr and "Traceback" not in again.stderr
    missing = gongkai("export", "--agency", "没有这个机构", "-o", str(tmp_path / "x.zip"), data_dir=site)
    assert missing.returncode == 2 and "没有机构「没有这个机构」" in missing.stderr

    backed_up = gongkai("backup", "-o", str(tmp_path / "site.backup"), data_dir=site)
    assert backed_up.returncode == 0, backed_up.stderr
    refused = gongkai("restore", str(tmp_path / "site.backup"), data_dir=other)
    assert refused.returncode == 2 and "--force" in refused.stderr and count(other, "cases_application") == 37
    restored = gongkai("restore", str(tmp_path / "site.backup"), "--force", data_dir=other)
    assert restored.returncode == 0, restored.stderr
    assert count(other, "cases_application") == count(site, "cases_application")
    (saved,) = other.glob("before-restore-*.sqlite3")  # what the restore replaced
    assert sqlite3.connect(saved).execute("SELECT count(*) FROM cases_application").fetchone()[0] == 37
    bad = gongkai("restore", str(tmp_path / "agency.zip"), "--force", data_dir=other)
    assert bad.returncode == 2 and "不是 gongkai backup 生成的备份文件" in bad.stderr
