"""The web application under load: the public form and the staff case list of an agency with 100,000
cases, against a bare Django view served by the same server in the same run.

    python bench/bench_web.py [--cases 100000] [--requests 400] [--clients 8] [--workers 2]

1. A fresh SQLite database (production settings, DEBUG off) gets an agency with ``--cases``
   applications shaped like a busy year (bench/web_data.py), and the annual report of that
   agency is built from them: best of 3, against one aggregate SQL query over the same rows
   (the least any table 三 could cost). Goal (issue 4): under a second.
2. gunicorn (``--workers`` processes) serves the site on 127.0.0.1 plus ``/bench/bare/``, a view
   that returns "ok" (bench/web/urls.py).
3. ``--clients`` threads with keep-alive connections send ``--requests`` requests per scenario,
   timing each request:
   * bare: GET /bench/bare/ — the baseline: Django's own cost per request on this server;
   * public form: GET /shenqing/;
   * public submit: POST /shenqing/ with a filled form (each creates an application);
   * staff list: GET /staff/cases/?page=N (N from 1 to 200) as a logged-in intake officer;
   * staff list by state: GET /staff/cases/?state=handling&page=N.
   Each client first makes a few untimed calls (warm-up). Throughput (requests/s), p50 and
   p95 latency, and p95 against the bare view are printed.
Loopback only, bounded in count; the database is deleted afterwards.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GOAL_REPORT_SECONDS = 1.0
WARM_UP_CALLS = 3  # per client, untimed, before each scenario
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FORM_TOKEN = re.compile(r'name="form_token" value="([^"]+)"')
AGENCY_OPTION = re.compile(r'<option value="(\d+)"[^>]*>基准测试区人民政府办公室')


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# ------------------------------------------------------------------ database and annual report

def prepare(cases: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from gongkai.web.annual.build import annual_report
    from web_data import YEAR, bench_world

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    agency = bench_world(cases)
    print(f"数据 / data: {cases:,} applications written in {time.perf_counter() - started:.1f} s", flush=True)

    def best_of_three(function: Callable[[], object]) -> tuple[float, object]:
        timings, result = [], None
        for _ in range(3):
            started = time.perf_counter()
            result = function()
            timings.append(time.perf_counter() - started)
        return min(timings), result

    def aggregate() -> list:
        with connection.cursor() as cursor:
            cursor.execute("SELECT applicant_type, outcome, count(*) FROM cases_application WHERE agency_id = %s "
                           "AND received_on <= %s GROUP BY applicant_type, outcome",
                           [agency.pk, date(YEAR, 12, 31)])
            return cursor.fetchall()

    report_seconds, report = best_of_three(lambda: annual_report(agency, YEAR))
    baseline_seconds, _ = best_of_three(aggregate)
    new = report.applications["new"]["total"]
    status = "within" if report_seconds < GOAL_REPORT_SECONDS else "OVER"
    print(f"年度报告 / annual report of {cases:,} cases: {report_seconds * 1000:.0f} ms "
          f"({status} the {GOAL_REPORT_SECONDS:.0f} s goal; table 三 new = {new:,}, "
          f"{len(report.errors())} check errors); one GROUP BY over the same rows: {baseline_seconds * 1000:.0f} ms "
          f"→ {report_seconds / baseline_seconds:.1f}×", flush=True)


# ------------------------------------------------------------------ the load


class Client:
    """One keep-alive connection with its cookies (session, CSRF)."""

    def __init__(self, port: int):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.connection.port}{path}"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, text

    def log_in(self, username: str, password: str) -> None:
        _, page = self.request("GET", "/staff/login/")
        status, _ = self.request("POST", "/staff/login/", {
            "csrfmiddlewaretoken": CSRF_INPUT.search(page).group(1), "username": username, "password": password})
        if status != 302:
            raise SystemExit(f"登录失败（HTTP {status}）")


@dataclass
class Result:
    name: str
    latencies: list[float]
    seconds: float
    errors: int

    @property
    def p95(self) -> float:
        return statistics.quantiles(self.latencies, n=100)[94]

    def line(self, baseline: Result | None) -> str:
        ratio = f"  p95 {self.p95 / baseline.p95:5.1f}× bare" if baseline else ""
        return (f"  {self.name:<22} {len(self.latencies) / self.seconds:7.1f} req/s  "
                f"p50 {statistics.median(self.latencies) * 1000:7.1f} ms  p95 {self.p95 * 1000:7.1f} ms"
                f"{ratio}  errors {self.errors}")


def run_scenario(name: str, port: int, clients: int, requests: int,
                 setup: Callable[[Client], None], one: Callable[[Client, random.Random], tuple[int, int]]) -> Result:
    """``clients`` threads share ``requests`` calls of ``one``; each returns (status, expected status)."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    remaining = [requests]
    ready = threading.Barrier(clients + 1)

    def worker(index: int) -> None:
        nonlocal errors
        client, rng = Client(port), random.Random(index)
        setup(client)
        for _ in range(WARM_UP_CALLS):  # each server thread imports, compiles templates and connects once
            one(client, rng)
        ready.wait()
        while True:
            with lock:
                if remaining[0] == 0:
                    return
                remaining[0] -= 1
            started = time.perf_counter()
            status, expected = one(client, rng)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                errors += status != expected

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    ready.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return Result(name, latencies, time.perf_counter() - started, errors)


def _get(path_for: Callable[[random.Random], str]):
    def one(client: Client, rng: random.Random) -> tuple[int, int]:
        return client.request("GET", path_for(rng))[0], 200
    return one


def _submit(client: Client, rng: random.Random) -> tuple[int, int]:
    """Fill the form as a browser would: the GET is part of the applicant's wait, so it is timed too."""
    _, page = client.request("GET", "/shenqing/")
    status, _ = client.request("POST", "/shenqing/", {
        "csrfmiddlewaretoken": CSRF_INPUT.search(page).group(1), "form_token": FORM_TOKEN.search(page).group(1),
        "agency": AGENCY_OPTION.search(page).group(1), "applicant_type": "natural_person",
        "applicant_name": f"基准测试{rng.randrange(10**6)}", "applicant_id_number": "110101199003074477",
        "applicant_phone": "13800000000", "information_sought": "某路段拆迁补偿方案及相关批复文件",
        "delivery_form": "电子邮件", "applicant_email": "bench@example.com"})
    return status, 302


def load(port: int, clients: int, requests: int) -> None:
    from web_data import BENCH_PASSWORD, BENCH_USERNAME

    def nothing(client: Client) -> None:
        pass

    def staff(client: Client) -> None:
        client.log_in(BENCH_USERNAME, BENCH_PASSWORD)

    print(f"负载 / load: {clients} clients, {requests} requests per scenario, gunicorn on 127.0.0.1:{port}", flush=True)
    bare = run_scenario("bare Django view", port, clients, requests, nothing, _get(lambda rng: "/bench/bare/"))
    print(bare.line(None), flush=True)
    scenarios = [
        ("public form (GET)", nothing, _get(lambda rng: "/shenqing/")),
        ("public submit (GET+POST)", nothing, _submit),
        ("staff case list", staff, _get(lambda rng: f"/staff/cases/?page={rng.randint(1, 200)}")),
        ("staff list by state", staff, _get(lambda rng: f"/staff/cases/?state=handling&page={rng.randint(1, 50)}")),
    ]
    for name, setup, one in scenarios:
        print(run_scenario(name, port, clients, requests, setup, one).line(bare), flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=400, help="requests per scenario")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    args = parser.parse_args()

    directory = Path(tempfile.mkdtemp(prefix="gongkai-bench-web-"))
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "settings", "DATABASE_URL": f"sqlite:///{directory / 'bench.sqlite3'}",
        "GONGKAI_DATA_DIR": str(directory), "GONGKAI_SECRET_KEY": secrets.token_urlsafe(40),
        "GONGKAI_ALLOWED_HOSTS": "127.0.0.1", "GONGKAI_CONN_MAX_AGE": "60",
        "GONGKAI_PUBLIC_APPLICATIONS_PER_ADDRESS": "1000000",  # every simulated applicant is 127.0.0.1
        "PYTHONPATH": os.pathsep.join([str(HERE / "web"), str(HERE), str(ROOT / "src")]),
    })
    sys.path[:0] = [str(HERE / "web"), str(HERE), str(ROOT / "src")]
    server = None
    try:
        prepare(args.cases)
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(args.workers), "--bind", f"127.0.0.1:{port}",
             "--worker-class", "gthread", "--threads", "4", "--keep-alive", "30", "--log-level", "warning", "gongkai.web.wsgi:application"])
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        load(port, args.clients, args.requests)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(directory, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
