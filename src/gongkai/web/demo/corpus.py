"""The demo's corpus for /corpus/: the five seed reports and sample reports of other years and levels.

The seeds' 2021 reports as published, and for each seed agency sample reports of 2019–2024
(2021 is the seed itself), plus a province's and a city's offices, all marked 示例数据, are
rendered into the corpus' source store and read by ``gongkai corpus ingest`` in this
process (no cluster: a few dozen files).  Three of them are made to be flagged: a jump of
本年新收, a report repeating its previous year's tables, and a table 三 that does not add up.
Run again, the same bytes are skipped, so loading twice adds nothing.
"""

from __future__ import annotations

import copy
import random

from django.conf import settings

from gongkai.corpus import sample
from gongkai.corpus.ingest import ingest

from .published import seed_reports

YEARS = (2019, 2020, 2021, 2022, 2023, 2024)
# 行政区划代码 of the seed agencies' places (南郊镇 is left without one: the explorer must cope).
SEED_REGIONS = {"栖霞区人民政府办公室": "320113", "梁园区人民政府办公室": "411402",
                "老城区东南隅街道办事处": "410302001000", "滨海新区人民政府政务服务办公室": "120116"}
OTHERS = (("江苏省人民政府办公厅", "320000", 3.0), ("南京市人民政府办公厅", "320100", 2.0),
          ("河南省人民政府办公厅", "410000", 3.0), ("洛阳市人民政府办公室", "410300", 1.5))


def demo_corpus_reports() -> list[tuple[object, str | None]]:
    rng = random.Random(2021)
    reports = []
    for seed in seed_reports():
        region = SEED_REGIONS.get(seed.agency)
        scale = max(0.02, (seed.applications["new"]["total"] or 0) / sample.TYPICAL_NEW)  # near the seed's own size
        for year in YEARS:
            report = seed if year == 2021 else sample.consistent_report(rng, agency=seed.agency, year=year,
                                                                          scale=scale)
            reports.append((report, region))
    for agency, region, scale in OTHERS:
        for year in YEARS:
            reports.append((sample.consistent_report(rng, agency=agency, year=year, scale=scale), region))
    _made_to_be_flagged(reports, rng)
    return reports


def _made_to_be_flagged(reports, rng) -> None:
    by_key = {(r.agency, r.year): i for i, (r, _) in enumerate(reports)}
    jump = by_key[("江苏省人民政府办公厅", 2023)]  # 本年新收 many times the year before
    report, region = reports[jump]
    reports[jump] = (sample.consistent_report(rng, agency=report.agency, year=2023, scale=40.0), region)
    previous, same = by_key[("南京市人民政府办公厅", 2022)], by_key[("南京市人民政府办公厅", 2023)]
    repeated = copy.deepcopy(reports[previous][0])  # tables 三 and 四 as the year before
    repeated.year = 2023
    repeated.sections = dict(repeated.sections, overview=repeated.sections["overview"].replace("2022", "2023"))
    reports[same] = (repeated, reports[same][1])
    unbalanced = reports[by_key[("洛阳市人民政府办公室", 2024)]][0]
    unbalanced.applications["granted"]["natural_person"] += 5  # 勾稽关系 no longer holds


def load_demo_corpus(write=print):
    """Render the demo's reports into the source store and ingest them into GONGKAI_CORPUS_DIR."""
    folder = settings.GONGKAI_CORPUS_SOURCES[0] / "demo"
    listing = sample.write_sources(folder, demo_corpus_reports())
    summary = ingest([str(listing)], settings.GONGKAI_CORPUS_DIR)
    write(f"年度报告语料库（/corpus/）：新读取 {summary.read} 份示例报告，已有 {summary.skipped} 份，"
          f"失败 {summary.failed} 个")
    return summary
