"""Annual report files as units publish them, made from a demo seed's figures: for filing and batch tests."""

from pathlib import Path

from gongkai.report.model import AnnualReport
from gongkai.report.write import render

SEED = sorted((Path(__file__).parents[2] / "src/gongkai/web/demo/seeds").glob("*.json"))[0]


def report_bytes(agency="测试区档案馆", year=2025, fmt="html", *, carried_over=None) -> bytes:
    """A real report of the seed's figures, under another name and year, as published in ``fmt``."""
    report = AnnualReport.loads(SEED.read_text(encoding="utf-8"))
    report.agency, report.year, report.issues = agency, year, []
    if carried_over is not None:  # {column: n}; keeps 一 + 二 = 三 + 四 by moving each difference to 结转下年度
        row, forward = report.applications["carried_over"], report.applications["carried_forward"]
        for column, value in carried_over.items():
            delta = value - row[column]
            row[column] += delta
            forward[column] += delta
    return render(report, fmt)
