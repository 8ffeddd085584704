"""Chinese full-text search over N publications on SQLite, against a plain indexed title lookup.

    python bench/bench_search.py [--docs 100000] [--queries 300] [--processes N]

Realistic publications are generated (titles like 关于印发《…》的通知, 文号 like
某政发〔2024〕12号, bodies of a few hundred characters in which 复议, 低保 and other terms
occur at plausible rates), indexed with ``SqliteFtsIndex`` in a temporary database file
(segmentation on N processes), then, in the same run and on the same database:

* gongkai: ``search()`` with 1-3 terms, random filters (agency, year, category) and pages
  1-5 — the whole call, including query segmentation, total count and highlighting;
* baseline: a B-tree index on the title, ``WHERE title = ?`` for the same number of queries.

p50/p95 of both and the ratio are printed. Goal (issue 5): search p95 < 100 ms at 100k.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from gongkai.search import Publication, SqliteFtsIndex  # noqa: E402

GOAL_P95_MS = 100.0

CITY = "江川市"
AGENCIES = [
    ("市人民政府办公室", "政办发"), ("市人民政府", "政发"), ("市民政局", "民发"), ("市司法局", "司发"),
    ("市财政局", "财预"), ("市人力资源和社会保障局", "人社发"), ("市卫生健康委员会", "卫健发"),
    ("市教育局", "教发"), ("市生态环境局", "环发"), ("市住房和城乡建设局", "建发"),
    ("市交通运输局", "交发"), ("市医疗保障局", "医保发"), ("市市场监督管理局", "市监发"),
    ("市发展和改革委员会", "发改"), ("市应急管理局", "应急发"), ("市自然资源和规划局", "自然资源发"),
]
CATEGORIES = ["政策文件", "政策解读", "通知公告", "财政预决算", "会议", "建议提案", "政府采购", "人事信息", "年度报告"]
TOPICS = [
    "城乡居民最低生活保障", "低保对象认定", "行政复议案件办理", "政府信息公开", "政务公开", "优化营商环境",
    "安全生产", "养老服务", "就业创业", "医疗保障", "生态环境保护", "农村人居环境整治", "义务教育招生",
    "住房公积金", "特困人员救助供养", "临时救助", "城市更新", "公共文化服务", "消防安全", "食品安全",
    "规范性文件管理", "依申请公开办理", "政务服务一网通办", "社会保险", "残疾人两项补贴", "防汛抗旱",
]
DOCUMENT_KINDS = ["实施办法", "管理办法", "实施方案", "工作方案", "实施细则", "工作要点", "指导意见", "若干措施"]
TITLE_TEMPLATES = [
    "关于印发《{city}{topic}{kind}》的通知", "关于做好{year}年{topic}工作的通知", "关于进一步加强{topic}工作的意见",
    "{agency}关于{topic}有关情况的公告", "《{city}{topic}{kind}》政策解读", "关于{year}年{topic}资金分配的通知",
    "{agency}{year}年政府信息公开工作年度报告", "关于调整{topic}标准的通知", "关于开展{topic}专项检查的通知",
]
# Body sentences; the few mentioning 复议 or 低保 make those words appear in a few percent of bodies.
SENTENCES = [
    "各区县人民政府，市政府各部门：现将有关事项通知如下。", "请结合实际，认真贯彻执行。",
    "本办法自印发之日起施行，有效期五年。", "各单位要高度重视，加强组织领导，明确责任分工。",
    "要严格落实工作责任，确保各项措施落到实处。", "对工作中遇到的问题，请及时向市政府办公室反映。",
    "进一步提高政府信息公开工作质量，主动回应社会关切。", "依法依规做好依申请公开工作，按时答复申请人。",
    "坚持以公开为常态、不公开为例外的原则。", "加强政策解读，及时准确传递政策意图。",
    "财政资金使用情况按规定向社会公开，接受群众监督。", "各地要统筹推进优化营商环境各项改革任务。",
    "加强安全生产隐患排查治理，坚决遏制重特大事故发生。", "健全养老服务体系，推进居家社区养老服务发展。",
    "落实就业优先政策，做好高校毕业生等重点群体就业工作。", "巩固拓展脱贫攻坚成果，推动乡村全面振兴。",
    "推进生态环境保护督察反馈问题整改。", "完善城乡医疗救助制度，减轻困难群众医疗费用负担。",
    "本年度未发生因政府信息公开引起的行政诉讼案件。", "会议听取了有关部门工作情况汇报，研究部署下一步工作。",
    "各部门要按照职责分工，密切配合，形成工作合力。", "市财政局要做好资金保障，加强资金使用绩效管理。",
    "申请人对答复不服的，可以依法申请行政复议或者提起行政诉讼。", "本年度收到行政复议申请若干件，均已依法办结。",
    "符合条件的困难家庭可以申请纳入低保范围。", "城乡低保标准按照当地居民生活水平适时调整。",
    "对低保对象实行分类施保、动态管理。", "复议机关应当在法定期限内作出行政复议决定。",
    "规范性文件应当经过合法性审核，并按规定报送备案。", "本规范性文件由市司法局负责解释。",
    "联系电话：0000-12345678，联系地址：江川市人民路1号。", "附件：相关表格及说明材料。",
]
# Sentences with 复议/低保 are drawn rarely, so that with the topics above these words occur in
# about 10% of publications, as in a city's catalogue (the remedy clause of 依申请公开
# replies, 社会救助 items), while generic words such as 通知 or 工作 occur in most.
RARE_SENTENCE_WEIGHT = 0.05
QUERIES = [
    ["复议"], ["低保"], ["行政复议"], ["政府信息公开"], ["依申请公开"], ["规范性文件"], ["营商环境"], ["养老服务"],
    ["安全生产"], ["通知"], ["就业"], ["医疗救助"], ["公积金"], ["年度报告"], ["政发"], ["2024"],
    ["低保", "标准"], ["复议", "决定"], ["政府信息公开", "年度报告"], ["安全生产", "隐患"], ["养老", "服务", "居家"],
    ["低保", "城乡", "调整"], ["通知", "工作", "要求"], ["生态环境", "督察"], ["财政", "资金", "公开"], ["税"],
]


def generate(count: int, seed: int = 20241121) -> list[Publication]:
    rng = random.Random(seed)
    weights = [RARE_SENTENCE_WEIGHT if ("复议" in s or "低保" in s) else 1.0 for s in SENTENCES]
    publications = []
    for number in range(1, count + 1):
        agency, prefix = rng.choice(AGENCIES)
        year = rng.choice(range(2015, 2026))
        topic = rng.choice(TOPICS)
        title = rng.choice(TITLE_TEMPLATES).format(
            city=CITY, topic=topic, kind=rng.choice(DOCUMENT_KINDS), year=year, agency=CITY + agency
        )
        doc_number = f"江{prefix}〔{year}〕{rng.randint(1, 200)}号" if rng.random() < 0.7 else ""
        length = rng.randint(180, 400)
        sentences = [f"为做好{topic}工作，根据有关规定，结合本市实际，制定本文件。"]
        while sum(map(len, sentences)) < length:
            sentences.append(rng.choices(SENTENCES, weights)[0])
        publications.append(Publication(
            number, title, doc_number, "".join(sentences), agency=CITY + agency, year=year, category=rng.choice(CATEGORIES)
        ))
    return publications


def random_filters(rng: random.Random) -> dict:
    choice = rng.random()
    if choice < 0.4:
        return {}
    if choice < 0.6:
        return {"year": rng.randint(2015, 2025)}
    if choice < 0.8:
        return {"agency": CITY + rng.choice(AGENCIES)[0]}
    if choice < 0.9:
        return {"category": rng.choice(CATEGORIES)}
    return {"agency": CITY + rng.choice(AGENCIES)[0], "year": rng.randint(2015, 2025)}


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def timed(call) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1, help="for segmentation")
    arguments = parser.parse_args()
    rng = random.Random(7)

    start = time.perf_counter()
    publications = generate(arguments.docs)
    share = {word: sum(word in p.title + p.doc_number + p.body for p in publications) / len(publications)
             for word in ("复议", "低保", "通知")}
    print(f"文档 docs: {len(publications):,} generated in {time.perf_counter() - start:.1f} s; "
          + ", ".join(f"{word} in {fraction:.0%}" for word, fraction in share.items()), flush=True)

    with tempfile.TemporaryDirectory() as directory:
        connection = sqlite3.connect(Path(directory) / "search.sqlite3")
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
        index = SqliteFtsIndex(connection)
        start = time.perf_counter()
        index.rebuild(publications, processes=arguments.processes)
        build_seconds = time.perf_counter() - start
        connection.execute("CREATE INDEX search_publication_doc_title ON search_publication_doc (title)")
        connection.execute("ANALYZE")
        size_mb = os.path.getsize(Path(directory) / "search.sqlite3") / 1e6
        print(f"索引构建 build: {build_seconds:.1f} s on {arguments.processes} process(es), "
              f"database {size_mb:.0f} MB", flush=True)

        queries = [(" ".join(rng.choice(QUERIES)), random_filters(rng), rng.randint(1, 5))
                   for _ in range(arguments.queries)]
        titles = [rng.choice(publications).title for _ in range(arguments.queries)]
        for text, filters, page in queries[:10]:  # warm the page cache and jieba
            index.search(text, filters=filters, page=page)

        search_ms, totals = [], []
        for text, filters, page in queries:
            started = time.perf_counter()
            result = index.search(text, filters=filters, page=page, per_page=20)
            search_ms.append((time.perf_counter() - started) * 1000)
            totals.append(result.total)
        lookup = "SELECT id, title, doc_number FROM search_publication_doc WHERE title = ? LIMIT 20"
        baseline_ms = [timed(lambda t=title: connection.execute(lookup, (t,)).fetchall()) for title in titles]
        connection.close()

    slowest = max(range(len(queries)), key=search_ms.__getitem__)
    p50, p95 = percentile(search_ms, 0.50), percentile(search_ms, 0.95)
    b50, b95 = percentile(baseline_ms, 0.50), percentile(baseline_ms, 0.95)
    print(f"检索 search ({len(queries)} queries, 1-3 terms, filters, pages 1-5, median {statistics.median(totals):,.0f}"
          f" matches): p50 {p50:.2f} ms, p95 {p95:.2f} ms, max {search_ms[slowest]:.1f} ms"
          f" ({queries[slowest][0]!r} {queries[slowest][1]} page {queries[slowest][2]}, {totals[slowest]:,} matches)")
    print(f"基线 baseline (B-tree title = ?): p50 {b50:.3f} ms, p95 {b95:.3f} ms")
    print(f"比值 ratio search/baseline: p50 {p50 / b50:.0f}×, p95 {p95 / b95:.0f}×")
    verdict = "达标 met" if p95 < GOAL_P95_MS else "未达标 NOT met"
    print(f"目标 goal p95 < {GOAL_P95_MS:.0f} ms: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
