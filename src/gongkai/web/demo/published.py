"""The published 2021 reports of the five seed agencies (copies of tests/fixtures/expected)."""

from __future__ import annotations

from importlib import resources

from gongkai.report.model import AnnualReport


def seed_reports() -> list[AnnualReport]:
    folder = resources.files("gongkai.web.demo") / "seeds"
    return [AnnualReport.loads(item.read_text(encoding="utf-8"))
            for item in sorted(folder.iterdir(), key=lambda item: item.name) if item.name.endswith(".json")]
