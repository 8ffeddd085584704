"""Figures as the explorer prints them."""

from __future__ import annotations

from gongkai.report.write.layout import format_number


def figure_text(value) -> str:
    """A figure as the page prints it: 1,234; — when no report states it."""
    if value is None:
        return "—"
    if float(value).is_integer():
        return f"{int(value):,}"
    return format_number(value)


def rate_text(count, of) -> str:
    """予以公开率 as the page prints it: 42.1%（1,234/2,931件）."""
    if not of:
        return "—"
    return f"{100 * count / of:.1f}%（{figure_text(count)}/{figure_text(of)}件）"
