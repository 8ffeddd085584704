"""Reading a roster file (CSV or XLSX): one row per unit with its 联络员 and 分管领导.

Only reads and checks; ``services.roster_import`` stores.  Headers are matched as written
(Chinese or English, any order, below a title row or two) and files read by ``gongkai.sheets``,
like every other import.  A unit is the agency below the office with that full name or
short name; a name that is none of them is a unit outside gongkai and needs its portal
address.  Every bad cell becomes a ``RowError`` and none stops the reading.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from gongkai.errors import GongkaiError
from gongkai.ledger.errors import RowError
from gongkai.sheets import UnreadableSheet, header_positions, sheet_rows
from gongkai.web.agencies.models import Agency

from .models import RosterUnit

HEADER_SEARCH_ROWS = 10

# key, official header, other names a file may use
COLUMNS = (
    ("name", "单位名称", ("name", "单位", "单位全称")),
    ("portal_url", "门户网站", ("portal_url", "portal", "网站", "网址", "门户网站地址", "网站地址")),
    ("liaison_name", "联络员", ("liaison", "liaison_name", "联络员姓名")),
    ("liaison_phone", "联络员电话", ("liaison_phone", "联络员手机", "联络电话")),
    ("liaison_user", "联络员账号", ("liaison_user", "联络员用户名")),
    ("leader_name", "分管领导", ("leader", "leader_name", "分管领导姓名")),
    ("leader_phone", "分管领导电话", ("leader_phone", "分管领导手机")),
    ("leader_user", "分管领导账号", ("leader_user", "分管领导用户名")),
)
LABELS = {key: header for key, header, _ in COLUMNS}
NAME_LENGTH = 200
PERSON_LENGTH = 60
PHONE = re.compile(r"\+?[0-9][0-9 ()\-]{5,28}")


class UnreadableRoster(GongkaiError):
    """The file cannot be read as a roster (format, encoding, no 单位名称 column)."""


class RosterHasErrors(GongkaiError):
    """Rows with errors: nothing was imported; ``errors`` lists every one."""

    exit_code = 1

    def __init__(self, errors: list[RowError]):
        self.errors = sorted(errors, key=RowError.sort_key)
        super().__init__(f"文件有 {len(self.errors)} 处错误，未导入任何一行；第一处：{self.errors[0]}")


def _fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split()).lower()


_KEYS = {_fold(name): key for key, header, aliases in COLUMNS for name in (key, header, *aliases)}


def _key_of(header: str) -> str | None:
    return _KEYS.get(_fold(header))


@dataclass
class PlannedUnit:
    row: int
    agency: Agency | None
    values: dict = field(default_factory=dict)  # RosterUnit field -> value


@dataclass
class _Reading:
    headers: dict[str, str] = field(default_factory=dict)
    positions: dict[str, int] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)

    def error(self, row: int, key: str, value, message: str, rule: str) -> None:
        self.errors.append(RowError(row, self.headers.get(key, LABELS[key]), "" if value is None else str(value),
                                    message, rule, self.positions.get(key, 0)))


def _records(data: bytes):
    try:
        return sheet_rows(data)[0]
    except UnreadableSheet as error:
        raise UnreadableRoster(error.message) from None


def read_roster(office: Agency, data: bytes) -> tuple[list[PlannedUnit], list[RowError]]:
    """The units a roster file describes for ``office``, and every bad cell in it."""
    records = _records(data)
    header_at = next((index for index, (_, cells) in enumerate(records[:HEADER_SEARCH_ROWS])
                      if "name" in {_key_of(cell or "") for cell in cells}), None)
    if header_at is None:
        raise UnreadableRoster("找不到表头：必需的列为 单位名称（其余可选：" +
                               "、".join(header for key, header, _ in COLUMNS if key != "name") + "）")
    cells = records[header_at][1]
    reading = _Reading()
    try:
        reading.positions = header_positions(cells, _key_of, LABELS.__getitem__)
    except UnreadableSheet as error:
        raise UnreadableRoster(error.message) from None
    reading.headers = {key: cells[position].strip() for key, position in reading.positions.items()}

    below = list(Agency.objects.filter(pk__in=office.subtree_ids() - {office.pk}))
    by_name = {}
    for agency in below:
        if agency.short_name:
            by_name.setdefault(_fold(agency.short_name), agency)
    by_name.update({_fold(agency.full_name): agency for agency in below})  # a full name wins over a short one
    users = get_user_model().objects
    planned, seen = [], {}
    for number, row_cells in records[header_at + 1:]:
        texts = {key: (row_cells[pos].strip() if pos < len(row_cells) and row_cells[pos] else None)
                 for key, pos in reading.positions.items()}
        if not any(texts.values()):
            continue
        before = len(reading.errors)
        unit = _plan_row(reading, number, texts, by_name, users)
        if unit is None:
            continue
        identity = unit.agency.pk if unit.agency else _fold(unit.values["name"])
        if identity in seen:
            reading.error(number, "name", texts["name"], f"与第 {seen[identity]} 行是同一单位", "unit.duplicate")
            continue
        seen[identity] = number
        if len(reading.errors) == before:
            planned.append(unit)
    return planned, reading.errors


def _plan_row(reading: _Reading, number: int, texts: dict, by_name: dict, users) -> PlannedUnit | None:
    name = texts.get("name")
    if name is None:
        reading.error(number, "name", None, "必须填写单位名称", "value.missing")
        return None
    if len(name) > NAME_LENGTH:
        reading.error(number, "name", name[:20] + "…", f"单位名称超过 {NAME_LENGTH} 字", "value.too_long")
        return None
    agency = by_name.get(_fold(name))
    portal = texts.get("portal_url") or ""
    if portal:
        try:
            URLValidator(schemes=["http", "https"])(portal)
        except ValidationError:
            reading.error(number, "portal_url", portal, "网址应以 http:// 或 https:// 开头，且为有效地址", "url.invalid")
    elif agency is None:
        reading.error(number, "name", name, "不是本机构下级的单位（全称或简称均不符）；不使用本系统的单位须填写门户网站地址",
                      "unit.unknown")
    values = {"name": agency.full_name if agency else name, "portal_url": portal}
    for role in ("liaison", "leader"):
        person = texts.get(f"{role}_name") or ""
        if len(person) > PERSON_LENGTH:
            reading.error(number, f"{role}_name", person[:20] + "…", f"姓名超过 {PERSON_LENGTH} 字", "value.too_long")
        phone = texts.get(f"{role}_phone") or ""
        if phone and not PHONE.fullmatch(unicodedata.normalize("NFKC", phone)):
            reading.error(number, f"{role}_phone", phone, "电话号码只能含数字、空格、括号和连字符（7—30 位）",
                          "phone.invalid")
        username = texts.get(f"{role}_user")
        user = None
        if username:
            user = users.filter(username=username, is_active=True).first()
            if agency is None and role == "leader":
                reading.error(number, f"{role}_user", username, "不使用本系统的单位不能填写分管领导账号", "user.outside")
            elif user is None:
                reading.error(number, f"{role}_user", username, "没有这个账号，或账号已停用", "user.unknown")
            elif agency is None and user.memberships.exists():
                # The account of a unit outside gongkai only files its annual report; a post elsewhere would
                # let one person act for two units.
                reading.error(number, f"{role}_user", username,
                              "该账号在本系统的单位中担任岗位，不能作为不使用本系统的单位的联络员账号", "user.outside")
            elif agency is not None and not user.memberships.filter(agency=agency).exists():
                reading.error(number, f"{role}_user", username, f"该账号在「{agency.full_name}」没有岗位",
                              "user.not_member")
        values.update({f"{role}_name": person, f"{role}_phone": phone, f"{role}_user": user})
    return PlannedUnit(number, agency, values)


def stored_entry(office: Agency, unit: PlannedUnit) -> RosterUnit:
    """The roster entry the row updates, or a new one."""
    found = (RosterUnit.objects.filter(office=office, agency=unit.agency).first() if unit.agency
             else RosterUnit.objects.filter(office=office, agency=None, name=unit.values["name"]).first())
    return found or RosterUnit(office=office, agency=unit.agency)
