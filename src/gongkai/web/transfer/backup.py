"""The whole site's database: an online, consistent backup and its restore.

SQLite: the backup API copies a snapshot page by page while the site keeps serving; the
result is a plain SQLite file. PostgreSQL: ``pg_dump`` (custom format) of the server's major
version. Attachments live in the database (``disclosure.Attachment.content``), so the backup is
the whole site; the SQLite search index beside it is derived and rebuilt after a restore.

A restore checks the file completely before touching the database, refuses to overwrite a
database holding data unless forced, and then first saves what is there beside it, so a bad
file or a wrong command never loses stored data.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from gongkai.errors import GongkaiError

from .schema import unknown_migrations

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"
# Tables whose rows do not make a database "hold data": Django fills them by itself on migrate.
BOOKKEEPING = {"contenttypes.contenttype", "auth.permission", "sessions.session", "agencies.attemptcounter"}


class BackupError(GongkaiError):
    """The backup or restore could not be done; the database is as it was."""


@dataclass
class Restored:
    kind: str
    saved_before: Path | None  # what the database held before, when it held data


def _engine() -> str:
    return connection.vendor  # "sqlite" or "postgresql"


def _database() -> dict:
    return connection.settings_dict  # the database in use (under tests, the test database)


def _sqlite_name() -> str:
    return str(_database()["NAME"])


# ------------------------------------------------------------------ PostgreSQL tools


def server_major() -> int:
    connection.ensure_connection()
    return connection.pg_version // 10000


def _tool_major(tool: str) -> int | None:
    try:
        out = subprocess.run([tool, "--version"], capture_output=True, text=True, timeout=30).stdout
    except OSError:
        return None
    match = re.search(r"(\d+)(?:\.\d+)?", out)
    return int(match.group(1)) if match else None


def pg_tool(name: str, major: int | None = None) -> str:
    """``pg_dump`` or ``pg_restore`` of the server's major version (a newer one if that is missing)."""
    if major is None:
        major = server_major()
    found = {}
    for path in glob.glob(f"/usr/lib/postgresql/*/bin/{name}"):
        version = re.search(r"/postgresql/(\d+)/", path)
        if version:
            found[int(version.group(1))] = path
    on_path = shutil.which(name)
    if on_path and (version := _tool_major(on_path)) is not None:
        found.setdefault(version, on_path)
    usable = sorted(v for v in found if v >= major)
    if not usable:
        raise BackupError(f"找不到 PostgreSQL {major} 或更新版本的 {name}（服务器版本为 {major}）；"
                          f"请安装 postgresql-client-{major}")
    return found[usable[0]]


def _pg_args() -> tuple[list[str], dict]:
    db = _database()
    args = []
    if db.get("HOST"):
        args += ["-h", str(db["HOST"])]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict, what: str) -> subprocess.CompletedProcess:
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=6 * 3600)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise BackupError(f"{what}失败：{detail[-1] if detail else result.returncode}")
    return result


# ------------------------------------------------------------------ backup


def database_backup(path: str | Path) -> Path:
    """Write a consistent copy of the site's database to ``path`` (replaced only once complete)."""
    path = Path(path).resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".gongkai-backup-", dir=path.parent)
    os.close(handle)
    try:
        if _engine() == "sqlite":
            _sqlite_copy(_sqlite_name(), temporary)
        elif _engine() == "postgresql":
            args, env = _pg_args()
            _run([pg_tool("pg_dump"), *args, "--format=custom", "--no-owner", "--no-privileges",
                  "--file", temporary, str(_database()["NAME"])], env, "pg_dump")
        else:
            raise BackupError(f"不支持的数据库类型 {_engine()}")
        backup_verify(temporary)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def _sqlite_copy(source: str, target: str) -> None:
    if not Path(source).exists():
        raise BackupError(f"数据库文件 {source} 不存在")
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        # A standalone file: no -wal beside it needed to read it.
        dst.execute("PRAGMA journal_mode=DELETE")
    finally:
        dst.close()
        src.close()


# ------------------------------------------------------------------ verify


def backup_kind(path: str | Path) -> str:
    """'sqlite' or 'postgresql', from the file's first bytes; refuses anything else."""
    try:
        with open(path, "rb") as f:
            head = f.read(16)
    except FileNotFoundError:
        raise BackupError("备份文件不存在", path=str(path)) from None
    except OSError as error:
        raise BackupError(f"无法读取备份文件（{error.strerror}）", path=str(path)) from None
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_CUSTOM_MAGIC):
        return "postgresql"
    raise BackupError("不是 gongkai backup 生成的备份文件（既不是 SQLite 数据库，也不是 pg_dump 自定义格式）",
                      path=str(path))


def backup_verify(path: str | Path) -> str:
    """Read the whole backup; raise ``BackupError`` unless it is complete and holds a gongkai site."""
    kind = backup_kind(path)
    if kind == "sqlite":
        try:
            db = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
            try:
                status = db.execute("PRAGMA integrity_check").fetchone()[0]
                tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            finally:
                db.close()
        except sqlite3.DatabaseError as error:
            raise BackupError(f"备份文件已损坏（{error}）", path=str(path)) from None
        if status != "ok":
            raise BackupError(f"备份文件已损坏（integrity_check：{status}）", path=str(path))
        if not {"django_migrations", "agencies_agency"} <= tables:
            raise BackupError("备份文件中没有 gongkai 的数据表", path=str(path))
        return kind
    # The table of contents must name gongkai's tables, and every data block must read to the end:
    # pg_restore writes the whole dump as SQL to nowhere, touching no database.
    _, env = _pg_args()
    tool = pg_tool("pg_restore", server_major() if _engine() == "postgresql" else 0)
    try:
        listing = _run([tool, "--list", str(path)], env, "读取备份文件").stdout
        _run([tool, "--file", os.devnull, str(path)], env, "读取备份文件")
    except BackupError as error:
        raise BackupError(f"备份文件已损坏或不完整（{error}）", path=str(path)) from None
    if "TABLE DATA public django_migrations" not in listing or "TABLE DATA public agencies_agency" not in listing:
        raise BackupError("备份文件中没有 gongkai 的数据表", path=str(path))
    return kind


def _backup_migrations(path: Path, kind: str) -> list[tuple[str, str]]:
    """The (app, migration) pairs applied in the backed-up database."""
    if kind == "sqlite":
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return list(db.execute("SELECT app, name FROM django_migrations"))
        finally:
            db.close()
    _, env = _pg_args()
    script = _run([pg_tool("pg_restore"), "--data-only", "--table=django_migrations", "--file=-", str(path)],
                  env, "读取备份文件").stdout
    rows, copying = [], False
    for line in script.splitlines():  # COPY ... FROM stdin; then tab-separated rows up to "\."
        if line.startswith("COPY ") and "django_migrations" in line:
            copying = True
        elif copying and line == "\\.":
            break
        elif copying:
            _, app, name, *_ = line.split("\t")
            rows.append((app, name))
    return rows


# ------------------------------------------------------------------ restore


def database_holds_data() -> list[str]:
    """The models with rows in the site's database (empty when there is no database or no table yet)."""
    try:
        tables = set(connection.introspection.table_names())
    except DatabaseError:  # no database file or server database yet: nothing to lose
        return []
    held = []
    for model in apps.get_models():
        historical = hasattr(model, "instance_type")  # django-simple-history's copy of a model named already
        if model._meta.proxy or historical or model._meta.label_lower in BOOKKEEPING \
                or model._meta.db_table not in tables:
            continue
        if model._base_manager.exists():
            held.append(str(model._meta.verbose_name))
    return held


def _saved_name(suffix: str) -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.DATA_DIR) / f"before-restore-{stamp}{suffix}"


def database_restore(path: str | Path, *, force: bool = False) -> Restored:
    path = Path(path).resolve()
    kind, engine = backup_kind(path), _engine()
    if kind != engine:
        names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
        raise BackupError(f"备份来自 {names[kind]}，本站使用 {names.get(engine, engine)}；"
                          "跨数据库迁移请用 gongkai export / gongkai import", path=str(path))
    backup_verify(path)
    newer = unknown_migrations(_backup_migrations(path, kind))
    if newer:
        raise BackupError(f"备份来自较新版本的 gongkai（本站没有迁移 {'、'.join(newer[:5])}），请先升级本站再恢复",
                          path=str(path))
    held = database_holds_data()
    if held and not force:
        raise BackupError("数据库中已有数据（" + "、".join(held[:5]) + ("等" if len(held) > 5 else "")
                          + "），未恢复；确要用备份覆盖现有数据，请加 --force（覆盖前会先把现有数据另存一份）")
    saved = None
    if held:
        saved = database_backup(_saved_name(".sqlite3" if engine == "sqlite" else ".dump"))
    connection.close()
    if engine == "sqlite":
        _sqlite_restore(path, _sqlite_name())
    else:
        args, env = _pg_args()
        _run([pg_tool("pg_restore"), *args, "--clean", "--if-exists", "--no-owner", "--no-privileges",
              "--single-transaction", "--dbname", str(_database()["NAME"]), str(path)],
             env, "pg_restore")
    return Restored(kind=kind, saved_before=saved)


def _sqlite_restore(source: Path, target: str) -> None:
    """Copy the backup into the live file in one write transaction: a crash leaves the old database."""
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target, timeout=30)
    try:
        src.backup(dst)
    except sqlite3.Error as error:
        raise BackupError(f"恢复失败，数据库未改变（{error}）") from None
    finally:
        dst.close()
        src.close()
