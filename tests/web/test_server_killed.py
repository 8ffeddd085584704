"""The server killed (SIGKILL) in the middle of a batch of public-form submissions loses nothing it confirmed.

gunicorn serves the site on 127.0.0.1 from its own database (a SQLite file, or a PostgreSQL
database of its own when the suite runs on PostgreSQL); four applicants keep submitting the
form at /shenqing/ until the whole server process group is killed. Then: every application an
applicant saw confirmed (number and query code on the result page) is stored; none is
half-written (each has its number, query-code digest, event and form row); after a restart
every confirmed applicant follows the case with the code, and a form whose answer was lost
sent again registers nothing twice.
"""

import contextlib
import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlparse

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FORM_TOKEN = re.compile(r'name="form_token" value="([^"]+)"')
AGENCY_OPTION = re.compile(r'<option value="(\d+)"[^>]*>断电测试街道办事处')
AGENCY = "断电测试街道办事处"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def server_env(tmp_path):
    """Environment of a site with a database of its own, migrated and holding one agency."""
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)}
    env.update({"DJANGO_SETTINGS_MODULE": "gongkai.web.settings", "GONGKAI_DATA_DIR": str(tmp_path),
                "GONGKAI_SECRET_KEY": secrets.token_urlsafe(40), "GONGKAI_DEBUG": "1",
                "GONGKAI_PUBLIC_APPLICATIONS_PER_ADDRESS": "100000",  # one address sends the whole batch
                "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])})
    url = os.environ.get("DATABASE_URL", "")
    dropped = None
    if url.startswith("postgres"):
        import psycopg

        parts = urlparse(url)
        name = f"{parts.path.lstrip('/')}_killed"
        admin = dict(host=parts.hostname, port=parts.port or 5432, user=parts.username, password=parts.password)
        with psycopg.connect(dbname="postgres", autocommit=True, **admin) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}"')
            db.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = parts._replace(path=f"/{name}").geturl()
        dropped = (admin, name)
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'site.sqlite3'}"
    setup = ("from gongkai.web import setup; setup(); from django.core.management import call_command; "
             "call_command('migrate', verbosity=0); from gongkai.web.agencies.models import Agency; "
             f"Agency.objects.create(full_name='{AGENCY}', kind='street')")
    subprocess.run([sys.executable, "-c", setup], env=env, check=True, timeout=300)
    yield env
    if dropped:
        import psycopg

        admin, name = dropped
        with psycopg.connect(dbname="postgres", autocommit=True, **admin) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start_server(env, port):
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--worker-class", "gthread", "--threads", "4",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "gongkai.web.wsgi:application"],
        env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            Browser(port).request("GET", "/shenqing/")
            return server
        except OSError:
            time.sleep(0.2)
    stop_server(server)
    raise AssertionError("gunicorn did not start")


def stop_server(server, sig=signal.SIGTERM):
    with contextlib.suppress(ProcessLookupError):  # already gone
        os.killpg(server.pid, sig)
    server.wait(timeout=30)


class Browser:
    """One applicant's browser: cookies, a keep-alive connection, a timeout on every request."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)

    def request(self, method, path, form=None):
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers.update({"Content-Type": "application/x-www-form-urlencoded",
                            "Referer": f"http://127.0.0.1:{self.port}{path}"})
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.headers.get("Location", ""), text

    def fill_form(self, n):
        _, _, page = self.request("GET", "/shenqing/")
        return {"csrfmiddlewaretoken": CSRF_INPUT.search(page).group(1), "form_token": FORM_TOKEN.search(page).group(1),
                "agency": AGENCY_OPTION.search(page).group(1), "applicant_type": "natural_person",
                "applicant_name": f"申请人{n}", "applicant_id_number": "110101199003074477",
                "applicant_phone": "13800000000", "information_sought": f"第{n}号申请所需的政府信息",
                "delivery_form": "电子邮件", "applicant_email": "a@example.com"}

    def submit(self, form):
        status, location, _ = self.request("POST", "/shenqing/", form)
        assert status == 302, status
        status, _, page = self.request("GET", location)
        assert status == 200
        return page


def result_of(page):
    number = re.search(r'id="application-number">([^<]+)<', page).group(1)
    code = re.search(r'id="query-code">([^<]+)<', page)
    return number, code.group(1) if code else None


def test_killing_the_server_mid_batch_loses_nothing_confirmed(server_env):
    port = _free_port()
    server = start_server(server_env, port)
    confirmed, pending, errors = [], [], []
    lock = threading.Lock()

    def applicant(k):
        browser = Browser(port)
        for i in range(200):
            try:
                form = browser.fill_form(f"{k}-{i}")
            except (OSError, http.client.HTTPException):
                return  # the server is gone before this form was sent
            try:
                page = browser.submit(form)
            except (OSError, http.client.HTTPException):
                with lock:
                    pending.append((browser, form))  # sent, no answer: the applicant does not know
                return
            except AssertionError as error:
                errors.append(error)
                return
            with lock:
                confirmed.append(result_of(page))

    threads = [threading.Thread(target=applicant, args=(k,)) for k in range(4)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 120
    while len(confirmed) < 24 and time.monotonic() < deadline and not errors:
        time.sleep(0.05)
    stop_server(server, signal.SIGKILL)  # mid-batch: requests are in flight
    for thread in threads:
        thread.join(timeout=60)
    assert not errors and len(confirmed) >= 24
    assert all(code for _, code in confirmed), "a confirmed result page showed no query code"

    check = subprocess.run([sys.executable, "-c", STORED], env=server_env, capture_output=True, text=True,
                           timeout=120, check=True)
    stored = dict(line.split(" ", 1) for line in check.stdout.splitlines())
    assert {number for number, _ in confirmed} <= set(stored)  # nothing confirmed is lost
    assert [n for n, state in stored.items() if state != "ok"] == []  # nothing half-written

    server = start_server(server_env, port)
    try:
        for number, code in confirmed:  # every confirmed applicant follows the case with the code
            browser = Browser(port)
            _, _, form = browser.request("GET", "/shenqing/progress/")
            status, _, page = browser.request("POST", "/shenqing/progress/", {
                "csrfmiddlewaretoken": CSRF_INPUT.search(form).group(1), "number": number, "query_code": code})
            assert status == 200 and number in page and "申请编号或查询码不正确" not in page, number
        for browser, form in pending:  # the form whose answer was lost, sent again: never a second case,
            browser.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
            number, code = result_of(browser.submit(form))
            assert code, f"{number}: the resubmitted form showed no query code"  # and the code is shown again
            _, _, progress = browser.request("GET", "/shenqing/progress/")
            status, _, page = browser.request("POST", "/shenqing/progress/", {
                "csrfmiddlewaretoken": CSRF_INPUT.search(progress).group(1), "number": number, "query_code": code})
            assert status == 200 and "申请编号或查询码不正确" not in page, number
            stored.setdefault(number, "new")
        again = subprocess.run([sys.executable, "-c", STORED], env=server_env, capture_output=True, text=True,
                               timeout=120, check=True)
        assert len(again.stdout.splitlines()) == len(stored)
    finally:
        stop_server(server)


# Run against the server's database: one line per application, "ok" unless something is missing.
STORED = """
import re
from gongkai.web import setup
setup()
from gongkai.web.cases.models import Application
for a in Application.objects.prefetch_related("events").select_related("public_submission"):
    missing = []
    if not a.number: missing.append("number")
    if not re.fullmatch(r"[0-9a-f]{64}", a.query_code_hash): missing.append("query_code_hash")
    if not a.events.all(): missing.append("event")
    try:
        a.public_submission
    except Exception:
        missing.append("submission")
    print(a.number, " ".join(missing) or "ok")
"""
