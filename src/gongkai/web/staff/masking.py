"""Masks for applicant personal data (identity number, phone, address, e-mail, name): one per kind of value."""

from __future__ import annotations


def mask_middle(value: str, *, keep_start: int, keep_end: int) -> str:
    """``110101199001011234`` → ``110***********1234``; short values are masked entirely."""
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[len(value) - keep_end:]


def mask_id_number(value: str) -> str:
    return mask_middle(value, keep_start=3, keep_end=4)


def mask_phone(value: str) -> str:
    return mask_middle(value, keep_start=3, keep_end=2)


def mask_address(value: str) -> str:
    """Keep the first six characters (province, city, district), hide the rest."""
    if not value:
        return ""
    return value[:6] + "****" if len(value) > 6 else "****"


def mask_name(value: str) -> str:
    return value[:1] + "*" * (len(value) - 1) if value else ""


def mask_email(value: str) -> str:
    """``zhangsan@example.cn`` → ``z***@example.cn``."""
    local, _, domain = value.partition("@")
    return f"{local[:1]}***@{domain}" if domain else mask_name(value)
