"""The command line: ``gongkai demo --load-only`` then ``gongkai report build`` print the seed tables."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

EXPECTED = Path(__file__).parents[1] / "fixtures" / "expected"


def gongkai(*args, env=None):
    return subprocess.run([sys.executable, "-m", "gongkai", *args], capture_output=True, text=True, env=env,
                          timeout=300)


def test_report_parse_does_not_import_django():
    code = "import sys, gongkai.cli; gongkai.cli.build_parser(); print('django' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"


@pytest.mark.slow
def test_demo_load_then_report_build(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    loaded = gongkai("demo", "--load-only", "--data-dir", str(tmp_path), env=env)
    assert loaded.returncode == 0, loaded.stderr
    assert "demo_supervisor" in loaded.stdout and "gongkai-demo-2021" in loaded.stdout
    assert "年度报告语料库（/corpus/）：新读取 54 份示例报告" in loaded.stdout
    assert list((tmp_path / "corpus" / "reports").glob("2021/*.parquet"))
    expected = json.loads((EXPECTED / "004_795117ff85927c6d.json").read_text(encoding="utf-8"))
    built = gongkai("report", "build", "--agency", expected["agency"], "--year", "2021", "--json",
                    "--data-dir", str(tmp_path), env=env)
    assert built.returncode == 0, built.stderr
    data = json.loads(built.stdout)
    assert data["applications"] == expected["applications"] and data["appeals"] == expected["appeals"]
    missing = gongkai("report", "build", "--agency", "没有这个机构", "--year", "2021", "--data-dir", str(tmp_path),
                      env=env)
    assert missing.returncode == 2 and "没有机构" in missing.stderr
