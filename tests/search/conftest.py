import os
import sqlite3
import uuid

import pytest

from gongkai.search import Publication, SqliteFtsIndex

DATABASE_URL = os.environ.get("DATABASE_URL")

SAMPLE = [
    Publication(1, "关于做好城乡低保工作的通知", "某民发〔2024〕3号", "各区民政局：现就最低生活保障（低保）审核确认工作通知如下。",
                agency="市民政局", year=2024, category="通知"),
    Publication(2, "行政复议决定书", "某复决〔2023〕1号", "申请人不服被申请人作出的政府信息公开答复，申请行政复议。",
                agency="市司法局", year=2023, category="决定"),
    Publication(3, "关于印发《某市规范性文件管理办法》的通知", "某政发〔2024〕12号",
                "第十条 公民对规范性文件有异议的，可以在复议时一并提出审查申请。", agency="市政府办公室", year=2024, category="通知"),
    Publication(4, "2023年政府信息公开工作年度报告", "", "本年度共收到依申请公开申请120件，无行政诉讼案件。",
                agency="市政府办公室", year=2023, category="年度报告"),
    Publication(5, "关于调整低保标准的复议说明", "某民函〔2024〕7号", "说明<script>alert('x')</script>正文 & 其他。",
                agency="市民政局", year=2024, category="解读"),
    Publication(6, "关于开展营商环境评估的通知", "某发改〔2022〕9号", "正文不涉及上述事项。",
                agency="市发展改革委", year=2022, category="通知"),
]


def _sqlite_index():
    connection = sqlite3.connect(":memory:")
    yield SqliteFtsIndex(connection)
    connection.close()


def _postgres_index():
    if not DATABASE_URL:
        pytest.skip("DATABASE_URL not set: PostgreSQL search tests skipped")
    psycopg = pytest.importorskip("psycopg")
    from gongkai.search.postgres import PostgresIndex

    connection = psycopg.connect(DATABASE_URL, autocommit=True)
    index = PostgresIndex(connection, table=f"search_test_{uuid.uuid4().hex[:12]}")
    try:
        yield index
    finally:
        index.drop_tables()
        connection.close()


@pytest.fixture(params=["sqlite", "postgres"])
def empty_index(request):
    yield from {"sqlite": _sqlite_index, "postgres": _postgres_index}[request.param]()


@pytest.fixture
def index(empty_index):
    empty_index.rebuild(SAMPLE)
    return empty_index


@pytest.fixture
def sample():
    return list(SAMPLE)
