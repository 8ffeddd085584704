"""Batch upload of many units' annual reports: read every file, match it to a roster unit, confirm, store all or none.

Step one reads each file (several files, or the entries of a ZIP) and proposes a unit for it:
an *exact* match when the report's agency name or the file name, spelled out the way the
corpus spells names (``corpus.names.spelled_out``), is the unit's name; a *proposed* match when
one is an abbreviation or the tail of the other, or shares its distinctive core
(``report.names.agency_core``); else *unmatched*.  Nothing is stored then: the files wait in
a staging folder of the data directory until the office confirms, and ``batch_store`` files
them all in one transaction or none.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import shutil
import time
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.archives import OPEN_ERRORS, READ_ERRORS, ArchiveTooLarge, uncompressed_size_check
from gongkai.corpus.names import spelled_out
from gongkai.errors import GongkaiError
from gongkai.report.names import agency_core
from gongkai.report.read import read_report
from gongkai.report.read.sources import MAX_INPUT_BYTES
from gongkai.web.agencies.models import Agency

from .filing import FiledFile, filing_submit, names_agree
from .models import RosterUnit

EXACT, PROPOSED, UNMATCHED, UNREADABLE = "exact", "proposed", "unmatched", "unreadable"
MATCH_LABELS = {EXACT: "完全匹配", PROPOSED: "建议匹配（请确认）", UNMATCHED: "未匹配", UNREADABLE: "无法读取"}
TOKEN_BYTES = 16
STAGING_HOURS = 24  # an upload never confirmed is removed by the next batch upload after this long


class BatchError(GongkaiError):
    """The upload as a whole cannot be used (a broken ZIP, too much unpacked)."""


def expand(uploads: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """Each uploaded file, with a ZIP replaced by its entries (folders, hidden files and __MACOSX skipped)."""
    files = []
    for name, data in uploads:
        if not name.lower().endswith(".zip"):
            files.append((name, data))
            continue
        try:
            archive = zipfile.ZipFile(BytesIO(data))
        except OPEN_ERRORS as error:
            raise BatchError(f"「{name}」不是有效的 ZIP 压缩包：{error}") from None
        with archive:
            try:
                uncompressed_size_check(archive, f"「{name}」")
            except ArchiveTooLarge as error:
                raise BatchError(error.message) from None
            for info in sorted(archive.infolist(), key=lambda i: i.filename):
                path = PurePosixPath(info.filename)
                if info.is_dir() or any(part.startswith((".", "__MACOSX")) for part in path.parts):
                    continue
                if info.file_size > MAX_INPUT_BYTES:
                    raise BatchError(f"「{name}」中的「{info.filename}」超过 {MAX_INPUT_BYTES // (1024 * 1024)} MB")
                try:
                    files.append((path.name, archive.read(info)))
                except READ_ERRORS as error:
                    raise BatchError(f"「{name}」中的「{info.filename}」已损坏：{error}") from None
    return files


def match_unit(agency_name: str | None, file_name: str, units: list[RosterUnit]) -> tuple[str, RosterUnit | None]:
    """The unit a file is for, and how sure: exact, proposed, or unmatched (None)."""
    stated = spelled_out(agency_name) if agency_name else ""
    stem = spelled_out(PurePosixPath(file_name).stem)
    spelled = {unit.pk: spelled_out(unit.name) for unit in units}
    exact = [u for u in units if spelled[u.pk] in (stated, stem) or (spelled[u.pk] and spelled[u.pk] in stem)]
    if len(exact) == 1:
        return EXACT, exact[0]
    close = [u for u in units if names_agree(stated, u.name)]
    if not close:
        close = [u for u in units if len(agency_core(u.name)) >= 2 and
                 (agency_core(u.name) in stem or (stated and agency_core(u.name) in stated))]
    if len(exact) > 1:
        close = exact
    return (PROPOSED, close[0]) if len(close) == 1 else (UNMATCHED, None)


@dataclass
class BatchFile:
    index: int
    name: str
    agency: str | None = None  # as read in the report
    year: int | None = None
    errors: int = 0
    match: str = UNMATCHED
    unit: RosterUnit | None = None
    reason: str = ""  # why it could not be read

    @property
    def match_label(self) -> str:
        return MATCH_LABELS[self.match]


def _staging_root() -> Path:
    return Path(settings.DATA_DIR) / "staging"


def _staging_tidy() -> None:
    """Remove the staging folders of uploads nobody confirmed within ``STAGING_HOURS``."""
    root = _staging_root()
    if not root.is_dir():
        return
    limit = time.time() - STAGING_HOURS * 3600
    for folder in root.glob("batch-*"):
        with contextlib.suppress(OSError):
            if folder.stat().st_mtime < limit:
                shutil.rmtree(folder, ignore_errors=True)


def _staged(token: str) -> Path:
    if not (token and token.isalnum() and len(token) == TOKEN_BYTES * 2):
        raise ValidationError("批量上传已失效，请重新上传")
    return _staging_root() / f"batch-{token}"


def batch_read(*, office: Agency, year: int, acting_user, uploads: list[tuple[str, bytes]]) -> tuple[str, list[BatchFile]]:
    """Read and match every file; keep them in a staging folder for ``batch_store``; the token and the files."""
    files = expand(uploads)
    if not files:
        raise BatchError("没有可读取的文件")
    units = list(RosterUnit.objects.filter(office=office, agency=None).order_by("name"))
    shown = []
    for index, (name, data) in enumerate(files):
        item = BatchFile(index, name)
        try:
            report = read_report(data, filename=name)
        except GongkaiError as error:
            item.match, item.reason = UNREADABLE, f"「{name}」无法读取：{error.message}"
        else:
            item.agency, item.year, item.errors = report.agency, report.year, len(report.errors())
            item.match, item.unit = match_unit(report.agency, name, units)
        shown.append(item)
    _staging_tidy()
    token = secrets.token_hex(TOKEN_BYTES)
    folder = _staged(token)
    folder.mkdir(parents=True)
    for index, (_, data) in enumerate(files):
        (folder / f"{index}.bin").write_bytes(data)
    manifest = {"user": acting_user.pk, "office": office.pk, "year": year, "names": [name for name, _ in files]}
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return token, shown


def batch_manifest(token: str, acting_user) -> dict:
    folder = _staged(token)
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise ValidationError("批量上传已失效，请重新上传") from None
    if manifest.get("user") != acting_user.pk:
        raise ValidationError("批量上传已失效，请重新上传")
    return manifest


def batch_store(*, token: str, office: Agency, acting_user, choices: dict[int, RosterUnit | None]) -> int:
    """File each chosen file for its unit, all in one transaction: any error stores none.  How many were filed."""
    manifest = batch_manifest(token, acting_user)
    if manifest["office"] != office.pk:
        raise ValidationError("批量上传已失效，请重新上传")
    folder = _staged(token)
    chosen = {index: unit for index, unit in choices.items() if unit is not None}
    seen: dict[int, str] = {}
    errors = []
    for index, unit in chosen.items():
        name = manifest["names"][index]
        if unit.office_id != office.pk or unit.agency_id is not None:
            errors.append(f"「{name}」：所选单位不是本机构名册中未使用本系统的单位")
        elif unit.pk in seen:
            errors.append(f"「{name}」与「{seen[unit.pk]}」选择了同一单位「{unit.name}」")
        seen.setdefault(unit.pk, name)
    if not chosen:
        errors.append("没有选择任何文件对应的单位")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for index, unit in sorted(chosen.items()):
            name = manifest["names"][index]
            file = FiledFile(name, (folder / f"{index}.bin").read_bytes())
            try:
                filing_submit(unit=unit, year=manifest["year"], acting_user=acting_user, file=file)
            except ValidationError as error:
                raise ValidationError([f"「{name}」（{unit.name}）：{m}" for m in error.messages]
                                      + ["全部文件均未保存"]) from None
    shutil.rmtree(folder, ignore_errors=True)
    return len(chosen)
