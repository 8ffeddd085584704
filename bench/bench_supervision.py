"""The supervising office at scale: the dashboard and digest pages and the daily digest job over a district
of ``--units`` units × ``--years`` years × ``--per-year`` cases (default 300 × 5 × 1,000 = 1.5 M cases),
each against a bare query over the same rows measured in the same run.

    python bench/bench_supervision.py [--units 300] [--years 5] [--per-year 1000] [--requests 30]
                                      [--database sqlite|postgres] [--fresh]

1. The district is written once (bench/supervision_data.py) into a database kept between runs
   (SQLite: ``$TMPDIR/gongkai-bench-supervision/<size>/``; PostgreSQL: ``gongkai_bench_supervision_<size>``
   on ``$GONGKAI_BENCH_POSTGRES``, default 127.0.0.1:5432), so reruns skip generation; ``--fresh``
   rebuilds it.
2. The supervisor's pages are requested in process (Django's test client, production settings,
   DEBUG off) ``--requests`` times each after one untimed warm-up: /staff/supervision/dashboard/ and
   /staff/supervision/digest/; p50 and p95 are printed beside the bare query's: one COUNT over the
   office's cases answered in the last 12 months (the least any dashboard could cost) and a bare
   Django view (the cost of a request at all).  Goal (issue 11): p95 under 300 ms.
3. The digest job (``digests_send``) for every recipient — the office's supervisor and each unit's
   administrator — runs twice: the first run of a day writes and e-mails (locmem) every line, the
   second finds them written.  Goal: under a minute.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GOAL_PAGE_SECONDS = 0.3
GOAL_JOB_SECONDS = 60.0


def _configure(args) -> str:
    size = f"{args.units}x{args.years}x{args.per_year}"
    if args.database == "postgres":
        server = os.environ.get("GONGKAI_BENCH_POSTGRES", "postgres://gongkai:gongkai@127.0.0.1:5432")
        url = f"{server}/gongkai_bench_supervision_{size.replace('x', '_')}"
        directory = Path(tempfile.gettempdir()) / "gongkai-bench-supervision" / f"pg-{size}"
    else:
        directory = Path(tempfile.gettempdir()) / "gongkai-bench-supervision" / size
        url = f"sqlite:///{directory / 'bench.sqlite3'}"
    directory.mkdir(parents=True, exist_ok=True)
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "settings", "DATABASE_URL": url, "GONGKAI_DATA_DIR": str(directory),
        "GONGKAI_SECRET_KEY": secrets.token_urlsafe(40), "GONGKAI_ALLOWED_HOSTS": "testserver,127.0.0.1",
    })
    sys.path[:0] = [str(HERE / "web"), str(HERE), str(ROOT / "src")]
    return size


def _timed(function, times: int) -> list[float]:
    function()  # warm-up: imports, template compilation, the database's caches
    latencies = []
    for _ in range(times):
        started = time.perf_counter()
        function()
        latencies.append(time.perf_counter() - started)
    return latencies


def _line(name: str, latencies: list[float], baseline: list[float] | None = None, goal: float | None = None) -> str:
    p95 = statistics.quantiles(latencies, n=20)[18] if len(latencies) > 1 else latencies[0]
    text = f"  {name:<34} p50 {statistics.median(latencies) * 1000:8.1f} ms  p95 {p95 * 1000:8.1f} ms"
    if baseline:
        text += f"  {p95 / (statistics.quantiles(baseline, n=20)[18] if len(baseline) > 1 else baseline[0]):7.1f}× bare"
    if goal is not None:
        text += f"  ({'within' if p95 < goal else 'OVER'} the {goal * 1000:.0f} ms goal)"
    return text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--per-year", type=int, default=1000, help="cases per unit and year")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--fresh", action="store_true", help="rebuild the cached database")
    args = parser.parse_args()
    size = _configure(args)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from gongkai.web.agencies.models import Agency
    from gongkai.web.supervision.dashboard import ANSWERED_STATES, month_starts
    from gongkai.web.supervision.digest_job import digests_send
    from gongkai.web.supervision.models import DigestLine
    from supervision_data import OFFICE, SUPERVISOR, district

    setup_test_environment()  # locmem e-mail; the test client
    settings.ALLOWED_HOSTS = ["testserver"]
    if args.fresh and args.database == "sqlite":
        Path(settings.DATABASES["default"]["NAME"]).unlink(missing_ok=True)
    elif args.fresh:
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    office = Agency.objects.filter(full_name=OFFICE).first()
    if office is None:
        started = time.perf_counter()
        print(f"数据 / data: writing {size} ({args.units * args.years * args.per_year:,} cases) …", flush=True)
        office = district(args.units, args.years, args.per_year)
        print(f"  written in {time.perf_counter() - started:.0f} s (kept for the next run)", flush=True)
    else:
        print(f"数据 / data: {size} from the cached database", flush=True)
    started = time.perf_counter()
    with connection.cursor() as cursor:  # the planner's statistics (a new index may have come with a migration)
        cursor.execute("ANALYZE")
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    print(f"  ANALYZE: {time.perf_counter() - started:.0f} s", flush=True)
    print(f"  database: {connection.vendor}, {connection.settings_dict['NAME']}", flush=True)

    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username=SUPERVISOR))
    unit_ids = list(Agency.objects.filter(parent=office).values_list("pk", flat=True))
    since = month_starts(timezone.localdate())[0]

    def bare_query():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM cases_application WHERE agency_id IN (SELECT id FROM agencies_agency "
                           "WHERE parent_id = %s) AND state IN (%s, %s) AND closed_on >= %s",
                           [office.pk, *ANSWERED_STATES, since])
            return cursor.fetchone()[0]

    def page(path: str):
        def get():
            response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"{path}: HTTP {response.status_code}")
        return get

    print(f"页面 / pages: {args.requests} timed requests each, in process, {len(unit_ids)} units", flush=True)
    bare = _timed(bare_query, args.requests)
    print(_line(f"bare COUNT ({bare_query():,} answered)", bare), flush=True)
    bare_view = _timed(page("/bench/bare/"), args.requests)
    print(_line("bare Django view", bare_view), flush=True)
    started = time.perf_counter()
    client.get(f"/staff/supervision/dashboard/?office={office.pk}")
    print(f"  dashboard, first view: {(time.perf_counter() - started) * 1000:.0f} ms", flush=True)
    for name, path in (("dashboard", f"/staff/supervision/dashboard/?office={office.pk}"),
                       ("digest (office)", f"/staff/supervision/digest/?office={office.pk}")):
        print(_line(name, _timed(page(path), args.requests), bare, GOAL_PAGE_SECONDS), flush=True)

    print("日提醒 / the digest job (every recipient)", flush=True)
    DigestLine.objects.filter(day=timezone.localdate()).delete()
    for run in ("first run of the day", "second run (nothing new)"):
        started = time.perf_counter()
        result = digests_send()
        seconds = time.perf_counter() - started
        print(f"  {run:<26} {seconds:6.1f} s  ({'within' if seconds < GOAL_JOB_SECONDS else 'OVER'} the "
              f"{GOAL_JOB_SECONDS:.0f} s goal; {result.recipients} recipients, {result.created:,} lines, "
              f"{result.emailed} e-mails)", flush=True)
    started = time.perf_counter()
    bare_query()
    print(f"  bare COUNT: {(time.perf_counter() - started) * 1000:.1f} ms", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
