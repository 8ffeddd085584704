"""Whether data saved by some gongkai fits this one: the migrations it had applied, against ours."""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps
from django.db.migrations.loader import MigrationLoader


def unknown_migrations(applied: Iterable[tuple[str, str]]) -> list[str]:
    """Migrations of installed apps that this installation does not have: the data come from a newer gongkai."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    installed = {config.label for config in apps.get_app_configs()}
    return sorted(f"{app}.{name}" for app, name in applied if app in installed and (app, name) not in known)
