"""Agency export and import against Django's own dumpdata / loaddata of the same rows, in the same run.

An agency with ``--cases`` applications (bench/web_data.py) on a SQLite file: ``gongkai export``
against ``dumpdata`` (JSON Lines) of the exported models, then, each into the emptied database,
``gongkai import`` against ``loaddata`` of that dump; and ``gongkai backup`` of the whole file.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20_000)
    args = parser.parse_args()
    directory = Path(tempfile.mkdtemp(prefix="gongkai-bench-transfer-"))
    os.environ.update({"DJANGO_SETTINGS_MODULE": "gongkai.web.settings", "GONGKAI_DATA_DIR": str(directory),
                       "DATABASE_URL": f"sqlite:///{directory / 'bench.sqlite3'}",
                       "GONGKAI_SECRET_KEY": secrets.token_urlsafe(40)})
    sys.path[:0] = [str(HERE), str(ROOT / "src")]
    try:
        import django

        django.setup()
        from django.core.management import call_command

        from gongkai.web.agencies.models import Agency
        from gongkai.web.transfer.backup import database_backup
        from gongkai.web.transfer.export import agency_export
        from gongkai.web.transfer.graph import agency_models
        from gongkai.web.transfer.load import agency_import
        from web_data import BENCH_AGENCY, bench_world

        call_command("migrate", verbosity=0)
        bench_world(args.cases)
        agency = Agency.objects.get(full_name=BENCH_AGENCY)
        labels = [m.label for m in agency_models()]
        dump = directory / "dump.jsonl"
        print(f"数据 / data: {args.cases:,} applications", flush=True)

        baseline = timed(lambda: call_command("dumpdata", "agencies.agency", *labels, "auth.user", format="jsonl",
                                              output=str(dump), verbosity=0))
        export = timed(lambda: agency_export(agency=agency, path=directory / "agency.zip"))
        backup = timed(lambda: database_backup(directory / "site.backup"))
        print(f"dumpdata (baseline)   {baseline:7.2f} s", flush=True)
        print(f"gongkai export        {export:7.2f} s  → {export / baseline:.1f}×", flush=True)
        print(f"gongkai backup        {backup:7.2f} s  → {backup / baseline:.2f}× (whole database)", flush=True)

        call_command("flush", interactive=False, verbosity=0)
        baseline = timed(lambda: call_command("loaddata", str(dump), verbosity=0))
        call_command("flush", interactive=False, verbosity=0)
        load = timed(lambda: agency_import(path=directory / "agency.zip"))
        print(f"loaddata (baseline)   {baseline:7.2f} s", flush=True)
        print(f"gongkai import        {load:7.2f} s  → {load / baseline:.1f}×", flush=True)
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
