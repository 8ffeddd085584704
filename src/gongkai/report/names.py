"""Agency names: abbreviations and the distinctive core of a name."""

from __future__ import annotations

import re

_AGENCY_SUFFIXES = ("人民政府办公室", "人民政府办公厅", "办公室", "办公厅", "人民政府", "委员会", "管理委员会", "街道办事处",
                    "办事处", "街道", "镇", "乡", "局", "厅", "委", "办", "院", "中心", "区", "县", "市", "所", "站", "队")


def is_abbreviation(short: str, full: str) -> bool:
    """True when ``short`` reads as an abbreviation of ``full`` (its characters, in order)."""
    if not short or not full or len(short) >= len(full):
        return False
    position = 0
    for char in short:
        position = full.find(char, position)
        if position < 0:
            return False
        position += 1
    return True


def agency_core(name: str) -> str:
    """The distinctive part of an agency name: 南郊 for 南郊镇, 栖霞 for 栖霞区人民政府办公室."""
    core = name
    for suffix in _AGENCY_SUFFIXES:
        if core.endswith(suffix) and len(core) - len(suffix) >= 2:
            core = core[: -len(suffix)]
            break
    match = re.match(r"^(.{2,}?)(?:区|县|市|镇|乡|街道)", core)
    return match.group(1) if match else core
