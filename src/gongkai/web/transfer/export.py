"""One agency's records as a ZIP of JSON Lines plus the stored files (format: ``docs/export.md``).

Read in one snapshot (``read_snapshot``: REPEATABLE READ on PostgreSQL, a deferred read
transaction on SQLite's WAL file), so the archive is consistent and the site keeps taking
forms meanwhile. Each export is recorded
(``TransferRecord``): the archive holds applicants' personal data.
"""

from __future__ import annotations

import datetime
import getpass
import hashlib
import json
import os
import socket
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

import gongkai
from gongkai.errors import GongkaiError

from .graph import AgencyModel, agency_models, user_keys
from .models import TransferRecord

FORMAT = "gongkai-agency-export"
VERSION = 1
MANIFEST = "manifest.json"
AGENCY_LABEL = "agencies.agency"
USER_LABEL = "auth.user"
# What of a user travels: who they are, not how they log in (no password hash, no superuser flag).
USER_FIELDS = ("username", "first_name", "last_name", "email", "is_active", "is_staff", "date_joined",
               "last_login")
CHUNK = 500


def data_path(label: str) -> str:
    return f"data/{label}.jsonl"


def file_path(label: str, pk, field: str) -> str:
    return f"files/{label}/{pk}/{field}"


def operator() -> str:
    """Who runs the command: the operating-system account and host (the command line has no site login)."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = str(os.getuid()) if hasattr(os, "getuid") else "?"
    return f"{name}@{socket.gethostname()}"


def applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


class _Encoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds (it cuts them to milliseconds)."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def _json_line(row: dict) -> bytes:
    return (json.dumps(row, cls=_Encoder, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


class _Writer:
    """The archive being written: entries with their SHA-256, into a temporary file renamed at the end."""

    def __init__(self, zf):
        self.zf = zf
        self.entries: dict[str, dict] = {}

    def add(self, name: str, content: bytes) -> dict:
        self.zf.writestr(name, content)
        entry = {"sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}
        self.entries[name] = entry
        return entry


class _Rows:
    """Serializes the agency's rows: users by username, binary fields as files, and a key to a row
    outside the archive (another agency's publication a 解读 interprets) as null, listed in the manifest."""

    def __init__(self, agency, selected: list[AgencyModel], writer: _Writer):
        self.writer = writer
        self.usernames = dict(get_user_model()._base_manager.values_list("pk", "username"))
        self.named: set[int] = set()  # users the rows name
        self.outside: list[dict] = []
        self.keys = {m.model: set(m.rows(agency).values_list("pk", flat=True)) for m in selected}
        self.keys[type(agency)] = {agency.pk}

    def of(self, agency_model: AgencyModel, agency):
        model = agency_model.model
        unsupported = [f.name for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        if unsupported:  # no model stores files on disk today; one that does must be taught here first
            raise GongkaiError(f"{model._meta.label}：字段 {', '.join(unsupported)} 存放磁盘文件，导出尚不支持")
        batch = []
        for obj in agency_model.rows(agency).iterator(chunk_size=CHUNK):
            batch.append(obj)
            if len(batch) == CHUNK:
                yield from self._serialized(agency_model, batch)
                batch = []
        yield from self._serialized(agency_model, batch)

    def _serialized(self, agency_model: AgencyModel, batch):
        model = agency_model.model
        users = user_keys(model)
        keys = [f for f in model._meta.concrete_fields
                if f.is_relation and f.related_model in self.keys and f not in users]
        binary = [f.name for f in model._meta.concrete_fields if isinstance(f, models.BinaryField)]
        for obj, row in zip(batch, serializers.serialize("python", batch), strict=True):
            fields = row["fields"]
            for field in users:
                # A history row may name a user deleted since (its key has no constraint): then nobody.
                user_id = getattr(obj, field.attname)
                fields[field.name] = self.usernames.get(user_id)
                if fields[field.name] is not None:
                    self.named.add(user_id)
            for field in keys:
                target = getattr(obj, field.attname)
                if target is not None and target not in self.keys[field.related_model]:
                    if not field.null:
                        raise GongkaiError(f"{model._meta.label} {obj.pk} 的 {field.name} 指向不属于本机构的记录")
                    fields[field.name] = None
                    self.outside.append({"model": agency_model.label, "pk": obj.pk, "field": field.name,
                                         "target": field.related_model._meta.label_lower, "target_pk": target,
                                         "target_unique": _unique_values(field.related_model, target)})
            for name in binary:
                content = bytes(getattr(obj, name) or b"")
                path = file_path(agency_model.label, obj.pk, name)
                fields[name] = {"file": path, **self.writer.add(path, content)}
            yield {"pk": row["pk"], "fields": fields}


def _unique_values(model, pk) -> dict:
    """The row's unique fields (an 索引号, a 申请编号): how the import finds the same row in another site."""
    names = [f.attname for f in model._meta.concrete_fields if f.unique and not f.primary_key and not f.is_relation]
    row = model._base_manager.filter(pk=pk).values(*names).first() if names else None
    return row or {}


def _user_rows(user_ids: set[int]) -> list[dict]:
    users = get_user_model()._base_manager.filter(pk__in=user_ids).order_by("username")
    rows = []
    for row in serializers.serialize("python", users, fields=USER_FIELDS):
        rows.append({"fields": row["fields"]})
    permissions = {}
    for user in users.prefetch_related("user_permissions__content_type"):
        permissions[user.username] = sorted(list(p.natural_key()) for p in user.user_permissions.all())
    for row in rows:
        row["fields"]["user_permissions"] = permissions[row["fields"]["username"]]
    return rows


@contextmanager
def read_snapshot():
    """Every query inside sees one moment of the database, and the site keeps writing meanwhile."""
    if connection.in_atomic_block:  # inside a transaction already: it is the snapshot
        yield
        return
    if connection.vendor == "sqlite":
        # Django begins SQLite transactions IMMEDIATE, which takes the write lock for the whole
        # export; a deferred read transaction on the WAL file is a snapshot that blocks no writer.
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("COMMIT")
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def agency_export(*, agency, path: str | Path) -> TransferRecord:
    """Write the agency's archive to ``path`` (a ZIP) and record the export; returns the record."""
    import zipfile

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".gongkai-export-", suffix=".zip", dir=path.parent)
    os.close(handle)
    counts: dict[str, int] = {}
    try:
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            writer = _Writer(zf)
            with read_snapshot():
                agency = type(agency)._base_manager.get(pk=agency.pk)
                selected = agency_models()
                rows = _Rows(agency, selected, writer)
                records = []
                agency_row = serializers.serialize("python", [agency])[0]
                parent = agency.parent.full_name if agency.parent_id else None
                agency_row["fields"]["parent"] = None  # the parent is another agency: named in the manifest
                entry = writer.add(data_path(AGENCY_LABEL),
                                   _json_line({"pk": agency_row["pk"], "fields": agency_row["fields"]}))
                records.append({"model": AGENCY_LABEL, "file": data_path(AGENCY_LABEL), "count": 1, **entry})
                for agency_model in selected:
                    lines = [_json_line(r) for r in rows.of(agency_model, agency)]
                    entry = writer.add(data_path(agency_model.label), b"".join(lines))
                    records.append({"model": agency_model.label, "file": data_path(agency_model.label),
                                    "path": "__".join(agency_model.path), "count": len(lines), **entry})
                users = _user_rows(rows.named)
                entry = writer.add(data_path(USER_LABEL), b"".join(_json_line(r) for r in users))
                records.append({"model": USER_LABEL, "file": data_path(USER_LABEL), "count": len(users), **entry})
                migrations = applied_migrations()
            counts = {r["model"]: r["count"] for r in records}
            manifest = {
                "format": FORMAT, "version": VERSION, "gongkai_version": gongkai.__version__,
                "exported_at": timezone.now().isoformat(), "database": connection.vendor,
                "agency": {"pk": agency.pk, "full_name": agency.full_name, "parent_full_name": parent},
                "contains_personal_data": True, "password_hashes": False,
                "migrations": migrations, "records": records, "outside_references": rows.outside,
                "files": [{"path": name, **entry} for name, entry in writer.entries.items()
                          if name.startswith("files/")],
            }
            zf.writestr(MANIFEST, json.dumps(manifest, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1))
        digest = file_sha256(temporary)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return TransferRecord.objects.create(kind=TransferRecord.Kind.EXPORT, agency=agency, operator=operator(),
                                         archive=str(path.resolve()), sha256=digest, counts=counts)


def file_sha256(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
