"""``gongkai demo``: the Django site with the seed agencies loaded. Django is imported only when run."""

from __future__ import annotations

import os
import socket
from pathlib import Path

from .errors import CommandError

DEFAULT_PORT = 8000


def register(subparsers) -> None:
    demo = subparsers.add_parser("demo", help="加载演示数据并在本机启动系统")
    demo.add_argument("--port", type=int, default=None,
                      help=f"端口（默认取环境变量 GONGKAI_PORT，未设置时为 {DEFAULT_PORT}）")
    demo.add_argument("--load-only", action="store_true", help="只建库并加载演示数据，不启动网站")
    demo.add_argument("--data-dir", metavar="DIR", help="数据目录（默认 ./var，SQLite 文件存放于此）")
    demo.set_defaults(handler=run_demo)


def setup_django(*, debug: bool = False, data_dir: str | None = None) -> None:
    """Configure Django for a command; a one-off secret key when none is set (no sessions outlive it)."""
    if debug:
        os.environ.setdefault("GONGKAI_DEBUG", "1")
    if data_dir:
        os.environ["GONGKAI_DATA_DIR"] = str(Path(data_dir).resolve())
    if not os.environ.get("GONGKAI_SECRET_KEY") and os.environ.get("GONGKAI_DEBUG") != "1":
        import secrets

        os.environ["GONGKAI_SECRET_KEY"] = secrets.token_urlsafe(50)
    from gongkai.web import setup

    setup()
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        Path(settings.DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)


HOST = "127.0.0.1"
PORT_HOW = "请换一个端口：make demo PORT=8001，或 gongkai demo --port 8001，或设置环境变量 GONGKAI_PORT=8001"


def demo_port(args) -> int:
    """``--port``, else ``GONGKAI_PORT``, else 8000."""
    if args.port is not None:
        port, source = args.port, "--port"
    else:
        text = os.environ.get("GONGKAI_PORT", "").strip()
        if not text:
            return DEFAULT_PORT
        if not (text.isascii() and text.isdigit()):
            raise CommandError(f"环境变量 GONGKAI_PORT 应为端口号（1—65535 的整数），现为“{text}”")
        port, source = int(text), "环境变量 GONGKAI_PORT"
    if not 1 <= port <= 65535:
        raise CommandError(f"{source} 应为 1—65535 之间的端口号，现为 {port}")
    return port


def port_free_or_fail(port: int) -> None:
    """Fail at once, in Chinese, when the port is taken (before the demo data takes its seconds to load)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will: a closed port is free
        try:
            probe.bind((HOST, port))
        except PermissionError:
            raise CommandError(f"没有权限使用端口 {port}（1024 以下的端口需要管理员权限）。{PORT_HOW}") from None
        except OSError:
            raise CommandError(f"端口 {port} 已被占用（也许已有一个演示网站或其他程序在运行）。{PORT_HOW}") from None


def run_demo(args) -> int:
    port = None if args.load_only else demo_port(args)
    if port is not None:
        port_free_or_fail(port)
    setup_django(debug=True, data_dir=args.data_dir)
    from gongkai.web.demo.load import load_demo

    load_demo()
    from gongkai.web.demo.corpus import load_demo_corpus

    load_demo_corpus()  # /corpus/: the seeds and sample reports of other years, read by gongkai corpus ingest
    if args.load_only:
        return 0
    from django.core.management import call_command

    from gongkai.web.reminders.schedule import SCAN_EVERY_SECONDS, ReminderScheduler

    ReminderScheduler().start()  # the demo's stand-in for the huey worker (see README, 期限提醒)
    print(f"期限提醒：演示期间每 {SCAN_EVERY_SECONDS // 60} 分钟扫描一次（生产环境请运行 huey 工作进程）")
    print(f"网站地址：http://{HOST}:{port}/  管理后台：http://{HOST}:{port}/admin/")
    call_command("runserver", f"{HOST}:{port}", use_reloader=False)
    return 0
