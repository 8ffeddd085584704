"""An agency's archive (``export.py``) back into a site: checked whole first, then written in one transaction.

Rows keep their primary keys, so every page of the agency has the same address as before; the
import refuses a site that already holds a row with one of those keys (it is meant for a site
without this agency — a new site, or one the agency moves to). Users are matched by username:
an existing user is reused untouched; a new one gets no usable password (the archive has none)
and must be given one (``python -m gongkai.web.manage changepassword NAME``).
"""

from __future__ import annotations

import base64
import hashlib
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import DatabaseError, IntegrityError, connection, models, transaction

from gongkai.archives import OPEN_ERRORS, READ_ERRORS
from gongkai.errors import GongkaiError

from .export import AGENCY_LABEL, FORMAT, MANIFEST, USER_FIELDS, USER_LABEL, VERSION, file_sha256, operator
from .graph import user_keys
from .models import TransferRecord
from .schema import unknown_migrations


class ArchiveRefused(GongkaiError):
    """The archive cannot be imported; nothing was written."""


@dataclass
class ImportResult:
    agency: object
    counts: dict[str, int]
    new_users: list[str]
    record: TransferRecord
    outside: int = 0  # keys to rows of other agencies, exported as null
    linked: int = 0  # of those, found again in this site by their unique fields

    def __str__(self) -> str:
        total = sum(self.counts.values())
        text = f"已导入 {total} 条记录（{len(self.counts)} 类）"
        if self.outside:
            text += (f"；{self.outside} 处指向其他机构记录的引用，{self.linked} 处在本站找到并已关联，"
                     f"其余置空（见归档 manifest.json 的 outside_references）")
        if self.new_users:
            text += (f"；新建用户 {len(self.new_users)} 个（无密码，请用 python -m gongkai.web.manage changepassword "
                     f"用户名 设置）：{'、'.join(self.new_users)}")
        return text


def _read_archive(path: Path) -> tuple[dict, dict[str, list[dict]], zipfile.ZipFile]:
    try:
        zf = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise ArchiveRefused("文件不存在", path=str(path)) from None
    except OPEN_ERRORS:
        raise ArchiveRefused("不是有效的 ZIP 归档（文件损坏或不完整）", path=str(path)) from None
    try:
        manifest = json.loads(zf.read(MANIFEST))
    except KeyError:
        raise ArchiveRefused(f"归档中没有 {MANIFEST}，不是 gongkai export 生成的归档", path=str(path)) from None
    except (*READ_ERRORS, ValueError):
        raise ArchiveRefused(f"{MANIFEST} 已损坏", path=str(path)) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveRefused("不是 gongkai export 生成的机构归档", path=str(path))
    if manifest.get("version") != VERSION:
        raise ArchiveRefused(f"归档格式版本 {manifest.get('version')} 不受支持（本系统读取版本 {VERSION}）",
                             path=str(path))
    try:
        entries = {r["file"]: r for r in manifest["records"]} | {f["path"]: f for f in manifest["files"]}
    except (KeyError, TypeError):
        entries = None
    if entries is None or not isinstance(manifest.get("agency"), dict) or "pk" not in manifest["agency"] \
            or not isinstance(manifest.get("migrations"), dict):
        raise ArchiveRefused(f"{MANIFEST} 不完整", path=str(path))
    for name, entry in entries.items():
        try:
            content = zf.read(name)
        except KeyError:
            raise ArchiveRefused(f"归档缺少 {name}", path=str(path)) from None
        except READ_ERRORS:
            raise ArchiveRefused(f"{name} 已损坏，无法读取", path=str(path)) from None
        if hashlib.sha256(content).hexdigest() != entry["sha256"]:
            raise ArchiveRefused(f"{name} 的内容与清单中的校验值不符（文件被改动或损坏）", path=str(path))
    rows: dict[str, list[dict]] = {}
    for record in manifest["records"]:
        items = rows[record["model"]] = []
        for number, line in enumerate(zf.read(record["file"]).decode("utf-8", "replace").splitlines(), start=1):
            try:
                items.append(json.loads(line))
            except ValueError:
                raise ArchiveRefused(f"{record['file']} 第 {number} 行不是有效的 JSON", path=str(path)) from None
        if len(rows[record["model"]]) != record["count"]:
            raise ArchiveRefused(f"{record['file']} 的行数与清单不符", path=str(path))
    return manifest, rows, zf


def _check_schema(manifest: dict, path: Path) -> None:
    """The archive's tables must be this site's: refuse one exported by a newer gongkai."""
    newer = unknown_migrations((app, name) for app, names in manifest["migrations"].items() for name in names)
    if newer:
        raise ArchiveRefused(f"归档由较新版本的 gongkai 导出（本站没有迁移 {'、'.join(newer[:5])}），请先升级本站",
                             path=str(path))
    for record in manifest["records"]:
        try:
            apps.get_model(record["model"])
        except (LookupError, ValueError):
            raise ArchiveRefused(f"归档中的数据类型 {record['model']} 本站没有", path=str(path)) from None


def _check_free(rows: dict[str, list[dict]], path: Path) -> None:
    """Refuse before writing when a row's key or the agency's name is taken in this site."""
    for label, items in rows.items():
        if label == USER_LABEL or not items:
            continue
        model = apps.get_model(label)
        pks = [item["pk"] for item in items]
        for start in range(0, len(pks), 500):
            taken = model._base_manager.filter(pk__in=pks[start:start + 500]).values_list("pk", flat=True)[:3]
            if taken:
                raise ArchiveRefused(
                    f"本站已有「{model._meta.verbose_name}」编号 {', '.join(map(str, taken))} 的记录；"
                    "只能导入到没有这些记录的站点（例如新建的站点），未导入任何数据", path=str(path))
    agency_name = rows[AGENCY_LABEL][0]["fields"]["full_name"]
    Agency = apps.get_model(AGENCY_LABEL)
    if Agency.objects.filter(full_name=agency_name).exists():
        raise ArchiveRefused(f"本站已有机构「{agency_name}」，未导入任何数据", path=str(path))


def _users(items: list[dict]) -> tuple[dict[str, int], list[str]]:
    User = get_user_model()
    ids, created = {}, []
    for item in items:
        fields = item["fields"]
        user = User._base_manager.filter(username=fields["username"]).first()
        if user is None:
            user = User(**{name: fields.get(name) for name in USER_FIELDS if name in fields})
            for name in ("date_joined", "last_login"):
                value = getattr(user, name)
                setattr(user, name, User._meta.get_field(name).to_python(value) if value else None)
            if user.date_joined is None:
                del user.date_joined
            user.set_unusable_password()
            user.save()
            permissions = [Permission.objects.filter(codename=codename, content_type__app_label=app,
                                                     content_type__model=model_name).first()
                           for codename, app, model_name in fields.get("user_permissions", [])]
            user.user_permissions.set([p for p in permissions if p is not None])
            created.append(user.username)
        ids[user.username] = user.pk
    return ids, created


def _objects(label: str, items: list[dict], user_ids: dict[str, int], zf: zipfile.ZipFile, parent_id):
    model = apps.get_model(label)
    user_fields = [field.name for field in user_keys(model)]
    binary = [f.name for f in model._meta.concrete_fields if isinstance(f, models.BinaryField)]
    python_rows = []
    for item in items:
        fields = dict(item["fields"])
        for name in user_fields:
            if fields.get(name) is not None:
                fields[name] = user_ids[fields[name]]
        for name in binary:
            reference = fields.get(name)
            if isinstance(reference, dict):
                fields[name] = base64.b64encode(zf.read(reference["file"])).decode("ascii")
        if label == AGENCY_LABEL:
            fields["parent"] = parent_id
        python_rows.append({"model": label, "pk": item["pk"], "fields": fields})
    return serializers.deserialize("python", python_rows)


def _link_outside(references: list[dict]) -> int:
    """Point a key that led outside the archive at the same row in this site, found by its unique fields."""
    linked = 0
    for reference in references:
        unique = reference.get("target_unique") or {}
        if not unique:
            continue
        target = apps.get_model(reference["target"])._base_manager.filter(**unique).values_list("pk", flat=True).first()
        if target is not None:
            field = apps.get_model(reference["model"])._meta.get_field(reference["field"])
            field.model._base_manager.filter(pk=reference["pk"]).update(**{field.attname: target})
            linked += 1
    return linked


def _reset_sequences(labels) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), [apps.get_model(label) for label in labels])
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def agency_import(*, path: str | Path) -> ImportResult:
    path = Path(path)
    manifest, rows, zf = _read_archive(path)
    with zf:
        _check_schema(manifest, path)
        Agency = apps.get_model(AGENCY_LABEL)
        parent_name = manifest["agency"].get("parent_full_name")
        try:
            with transaction.atomic():
                _check_free(rows, path)
                parent = Agency.objects.filter(full_name=parent_name).first() if parent_name else None
                user_ids, new_users = _users(rows.get(USER_LABEL, []))
                labels = [AGENCY_LABEL] + [r["model"] for r in manifest["records"]
                                           if r["model"] not in (AGENCY_LABEL, USER_LABEL)]
                for label in labels:
                    for deserialized in _objects(label, rows[label], user_ids, zf, parent.pk if parent else None):
                        deserialized.save(force_insert=True)
                _reset_sequences(labels)
                linked = _link_outside(manifest.get("outside_references", []))
                agency = Agency.objects.get(pk=manifest["agency"]["pk"])
                counts = {label: len(rows[label]) for label in labels}
                record = TransferRecord.objects.create(
                    kind=TransferRecord.Kind.IMPORT, agency=agency, operator=operator(),
                    archive=str(path.resolve()), sha256=file_sha256(path), counts=counts)
        except (IntegrityError, serializers.base.DeserializationError) as error:
            raise ArchiveRefused(f"归档中的记录与本站数据冲突或不完整，未导入任何数据（{error}）",
                                 path=str(path)) from None
        except DatabaseError as error:
            raise ArchiveRefused(f"写入数据库失败，未导入任何数据（{error}）", path=str(path)) from None
        except (KeyError, TypeError, ValueError, ValidationError) as error:  # a row not as export writes it
            raise ArchiveRefused(f"归档中的记录不完整或格式不对，未导入任何数据（{error!r}）", path=str(path)) from None
    _reindex(agency)
    return ImportResult(agency=agency, counts=counts, new_users=new_users, record=record,
                        outside=len(manifest.get("outside_references", [])), linked=linked)


def _reindex(agency) -> None:
    """The portal's search index is derived data kept outside the rows: index the agency's publications."""
    from gongkai.web.disclosure.models import Publication
    from gongkai.web.disclosure.search import search_sync

    for pk in Publication.objects.filter(agency=agency).values_list("pk", flat=True):
        search_sync(pk)
