"""``gongkai demo``: the Django site with the seed agencies loaded. Django is imported only when run."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_PORT = 8000


def register(subparsers) -> None:
    demo = subparsers.add_parser("demo", help="加载演示数据并在本机启动系统")
    demo.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"端口（默认 {DEFAULT_PORT}）")
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


def run_demo(args) -> int:
    setup_django(debug=True, data_dir=args.data_dir)
    from gongkai.web.demo.load import load_demo

    load_demo()
    if args.load_only:
        return 0
    from django.core.management import call_command

    print(f"网站地址：http://127.0.0.1:{args.port}/  管理后台：http://127.0.0.1:{args.port}/admin/")
    call_command("runserver", f"127.0.0.1:{args.port}", use_reloader=False)
    return 0
