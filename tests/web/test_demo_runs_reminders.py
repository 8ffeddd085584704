"""The demo shows reminders without a worker (a scan when the data is loaded, then a scheduler thread beside
the web server), and ``make demo`` on a taken port fails at once, in Chinese, naming how to choose another."""

import os
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from gongkai.web.demo.load import load_demo
from gongkai.web.reminders.models import Message
from gongkai.web.reminders.schedule import ReminderScheduler
from gongkai.workdays import load_calendar

ROOT = Path(__file__).parents[2]


def gongkai_demo(*args, env_extra=None):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "GONGKAI_PORT")}
    env.update(env_extra or {})
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "gongkai", "demo", *args], capture_output=True, text=True, env=env,
                            timeout=120)
    return result, time.monotonic() - started


@pytest.fixture
def taken_port():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


@pytest.mark.slow
@pytest.mark.django_db
def test_loading_the_demo_leaves_reminders_for_its_handler(empty_search_index):
    load_demo(write=lambda *_: None)
    handler = get_user_model().objects.get(username="demo_handler")
    assert Message.objects.filter(recipient=handler, kind=Message.Kind.OVERDUE).exists()
    client = Client()
    client.force_login(handler)
    assert "条未读" in client.get("/staff/").content.decode()
    page = client.get("/staff/reminders/").content.decode()
    assert "已超过答复期限" in page


@pytest.mark.django_db(transaction=True)
def test_the_scheduler_thread_scans_again_while_the_site_runs(world):
    scheduler = ReminderScheduler(every=0.05)
    scheduler.start()
    try:
        received = load_calendar().add_working_days(timezone.localdate(), -25)  # 5 working days overdue
        application = world.register(received_on=received).application
        deadline = time.monotonic() + 20
        while not Message.objects.filter(application=application).exists() and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        scheduler.stop()
        scheduler.join(timeout=10)
    message = Message.objects.get(application=application, recipient=world.users["handler"])
    assert message.kind == Message.Kind.OVERDUE and scheduler.runs >= 1
    assert message.due_on < timezone.localdate() - timedelta(days=1)


def test_a_taken_port_fails_at_once_in_chinese_before_loading_anything(taken_port, tmp_path):
    result, seconds = gongkai_demo("--port", str(taken_port), "--data-dir", str(tmp_path))
    assert result.returncode == 2 and seconds < 10
    assert f"端口 {taken_port} 已被占用" in result.stderr and "make demo PORT=8001" in result.stderr
    assert "Traceback" not in result.stderr and "Error:" not in result.stderr
    assert not list(tmp_path.iterdir())  # no database was created: the check came first


@pytest.mark.slow
def test_the_port_can_come_from_gongkai_port(taken_port, tmp_path):
    result, _ = gongkai_demo("--data-dir", str(tmp_path), env_extra={"GONGKAI_PORT": str(taken_port)})
    assert result.returncode == 2 and f"端口 {taken_port} 已被占用" in result.stderr
    for bad in ["abc", "70000", "0"]:
        result, _ = gongkai_demo("--data-dir", str(tmp_path), env_extra={"GONGKAI_PORT": bad})
        assert result.returncode == 2 and "GONGKAI_PORT" in result.stderr and "端口" in result.stderr, bad


def test_make_demo_passes_port_on():
    dry = subprocess.run(["make", "-n", "-C", str(ROOT), "demo", "PORT=8001"], capture_output=True, text=True)
    assert "scripts/demo --port 8001" in dry.stdout
    assert "scripts/demo --port" not in subprocess.run(["make", "-n", "-C", str(ROOT), "demo"], capture_output=True,
                                                        text=True).stdout
