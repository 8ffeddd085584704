"""/corpus/: every figure equals a plain DuckDB query over the same Parquet, every drill-down lists
exactly the reports behind its figure, and the gate, bad filters and a missing corpus behave."""

import hashlib
import re
import shutil

import duckdb
import pytest
from django.urls import reverse
from tests.web.corpus_data import generated_reports, write_corpus

from gongkai.web.explorer.models import ExplorerSettings

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="session")
def corpus_root(tmp_path_factory):
    """About two thousand generated reports over six years, eleven region codes and every level."""
    root = tmp_path_factory.mktemp("corpus")
    write_corpus(root, generated_reports(1980))
    return root


@pytest.fixture
def corpus(settings, corpus_root):
    settings.GONGKAI_CORPUS_DIR = corpus_root
    return corpus_root


@pytest.fixture
def staff(client, world):
    client.force_login(world.users["handler"])
    return client


def plain(root, sql, params=()):
    """A query over the corpus' Parquet with nothing of gongkai: DuckDB's read_parquet only."""
    con = duckdb.connect()
    for table in ("reports", "cells", "flags"):
        source = f"'{root}/{table}/*/*.parquet'" if table != "flags" else f"'{root}/flags.parquet'"
        con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet({source}, hive_partitioning = false)")
    return con.execute(sql, list(params)).fetchall()


def figure_in(html: str, key: str) -> str:
    found = re.search(rf'data-key="{re.escape(key)}">(?:<a href="[^"]*">)?([^<]*)', html)
    assert found, key
    return found.group(1)


def number(text: str):
    return None if text == "—" else int(text.replace(",", ""))


def report_ids(html: str) -> list[str]:
    return re.findall(r'data-report="([0-9a-f]{64})"', html)


def listed(client, url: str) -> tuple[list[str], str]:
    """The report ids of a drill-down over all its pages, and its first page."""
    first = html = client.get(url).content.decode()
    ids = report_ids(html)
    while (following := re.search(r'<a href="([^"]+)">下一页</a>', html)):
        html = client.get(url.split("?")[0] + following.group(1).replace("&amp;", "&")).content.decode()
        ids += report_ids(html)
    return ids, first


def drill_link(html: str, key: str) -> str:
    found = re.search(rf'data-key="{re.escape(key)}"><a href="([^"]+)"', html)
    return found.group(1).replace("&amp;", "&")


# ---------------------------------------------------------------- figures


@pytest.mark.parametrize("query, where", [
    ("year=2022", "r.year = 2022"),
    ("year=2023&region=32", "r.year = 2023 AND r.region_code LIKE '32%'"),
    ("year=2021&level=town", "r.year = 2021 AND length(r.region_code) = 12 AND substr(r.region_code, 7, 3) <> '000'"),
    ("year=2024&level=city", "r.year = 2024 AND length(r.region_code) = 6 AND r.region_code LIKE '%00' "
                             "AND r.region_code NOT LIKE '%0000'"),
    ("year=2020&flag=jump", "r.year = 2020 AND r.report_id IN (SELECT report_id FROM flags WHERE flag = 'jump')"),
])
def test_every_cell_of_the_summed_tables_is_the_plain_sum_of_the_selected_reports(staff, corpus, query, where):
    html = staff.get(f"/corpus/?{query}").content.decode()
    sums = dict(((t, row, col), value) for t, row, col, value in plain(corpus, f"""
        SELECT c."table", c."row", c."column", sum(c.value) FROM cells c JOIN reports r USING (report_id)
        WHERE {where} AND c."table" IN ('applications', 'appeals') AND c."row" NOT LIKE 'other%' GROUP BY ALL"""))
    assert len(sums) > 100
    for (table, row, column), value in sums.items():
        assert number(figure_in(html, f"{table}.{row}.{column}")) == (None if value is None else int(value)), (
            table, row, column)
    count = plain(corpus, f"SELECT count(*) FROM reports r WHERE {where}")[0][0]
    assert f"{count} 份报告</a>" in html


def test_a_year_with_a_single_other_row_sums_the_three_sub_rows_into_it(staff, corpus):
    html = staff.get("/corpus/?year=2022").content.decode()
    (expected,) = plain(corpus, """SELECT sum(c.value) FROM cells c JOIN reports r USING (report_id)
        WHERE r.year = 2022 AND c."table" = 'applications' AND c."row" LIKE 'other%' AND c."column" = 'total'""")[0]
    assert "other.no_correction" not in html
    assert number(figure_in(html, "applications.other.total")) == int(expected)


def test_rates_by_year_count_only_reports_stating_numerator_and_total(staff, corpus):
    html = staff.get("/corpus/?region=41").content.decode()
    rows = plain(corpus, """
        WITH p AS (SELECT c.report_id, r.year,
                          max(c.value) FILTER (WHERE c."row" = 'granted') AS g,
                          max(c.value) FILTER (WHERE c."row" = 'total') AS t
                   FROM cells c JOIN reports r USING (report_id)
                   WHERE r.region_code LIKE '41%' AND c."table" = 'applications' AND c."column" = 'total'
                   GROUP BY ALL)
        SELECT year, sum(g), sum(t) FROM p WHERE g IS NOT NULL AND t > 0 GROUP BY year ORDER BY year""")
    assert len(rows) == 6
    for year, granted, handled in rows:
        row = re.search(rf'<tr data-year="{year}">(.*?)</tr>', html, re.S).group(1)
        shown = re.search(r'data-rate="granted"><a href="[^"]+">([^<]+)</a>', row).group(1)
        assert shown == f"{100 * granted / handled:.1f}%（{int(granted):,}/{int(handled):,}件）"


def test_the_histogram_counts_each_report_in_the_bin_of_its_grant_rate(staff, corpus):
    html = staff.get("/corpus/?year=2023").content.decode()
    rates = plain(corpus, """
        SELECT max(c.value) FILTER (WHERE c."row" = 'granted') / max(c.value) FILTER (WHERE c."row" = 'total')
        FROM cells c JOIN reports r USING (report_id)
        WHERE r.year = 2023 AND c."table" = 'applications' AND c."column" = 'total' AND c."row" IN ('granted', 'total')
        GROUP BY c.report_id
        HAVING count(c.value) = 2 AND max(c.value) FILTER (WHERE c."row" = 'total') > 0""")
    expected = [0] * 10
    for (rate,) in rates:
        expected[min(int(rate * 10), 9)] += 1
    table = re.search(r'<table class="corpus-bins">(.*?)</table>', html, re.S).group(1)
    shown = [int(n) for n in re.findall(r"<td>(?:<a [^>]+>)?(\d+)", table)]
    assert shown == expected and sum(expected) > 100


# ---------------------------------------------------------------- drill-down


def test_a_cell_drills_down_to_exactly_the_reports_whose_values_make_it(staff, corpus):
    html = staff.get("/corpus/?year=2022&region=3201").content.decode()
    shown_sum = number(figure_in(html, "applications.granted.total"))
    ids, listing = listed(staff, drill_link(html, "applications.granted.total"))
    expected = plain(corpus, """SELECT c.report_id, c.value FROM cells c JOIN reports r USING (report_id)
        WHERE r.year = 2022 AND r.region_code LIKE '3201%' AND c."where" = 'applications.granted.total'""")
    stated = {rid for rid, value in expected if value is not None}
    unstated = {rid for rid, value in expected if value is None}
    assert unstated, "the corpus should have reports not stating 予以公开"
    assert len(ids) == len(set(ids)) > 100  # more than one page
    assert set(ids) == stated | unstated
    assert sum(v for _, v in expected if v is not None) == shown_sum
    assert f"合计 <strong class=\"figure\">{shown_sum:,}</strong>，来自 {len(stated)} 份" in listing
    assert f"另有 {len(unstated)} 份报告未写明" in listing


def test_a_histogram_bar_drills_down_to_the_reports_in_it(staff, corpus):
    html = staff.get("/corpus/?year=2021").content.decode()
    table = re.search(r'<table class="corpus-bins">(.*?)</table>', html, re.S).group(1)
    url, count = next((u, int(n)) for u, n in re.findall(r'<a href="([^"]+)">(\d+)</a>', table))
    ids, _ = listed(staff, url.replace("&amp;", "&"))
    assert len(ids) == count


def test_a_report_shows_its_cells_flags_and_source_link(staff, corpus):
    (rid, where) = plain(corpus, "SELECT report_id, \"where\" FROM flags WHERE flag = 'jump' ORDER BY report_id LIMIT 1")[0]
    page = staff.get(reverse("explorer:report", args=[rid])).content.decode()
    assert 'data-flag="jump"' in page
    (value,) = plain(corpus, 'SELECT value FROM cells WHERE report_id = ? AND "where" = ?', [rid, where])[0]
    assert number(figure_in(page, where)) == int(value)
    assert "原文件不在本站的原文库中" in page  # generated rows name no stored file


# ---------------------------------------------------------------- the gate


def test_anonymous_visitors_are_sent_to_login_unless_the_office_opens_the_explorer(client, corpus, settings):
    settings.GONGKAI_CORPUS_PUBLIC = False
    for url in ("/corpus/", "/corpus/reports/?year=2021", f"/corpus/reports/{'0' * 64}/"):
        response = client.get(url)
        assert response.status_code == 302 and "/staff/login/" in response["Location"], url
    ExplorerSettings.objects.create(pk=1, public=True)
    response = client.get("/corpus/?year=2021")
    assert response.status_code == 200 and "表三" in response.content.decode()
    ExplorerSettings.objects.filter(pk=1).update(public=False)
    assert client.get("/corpus/").status_code == 302
    settings.GONGKAI_CORPUS_PUBLIC = True
    assert client.get("/corpus/").status_code == 200


def test_the_landing_page_links_the_explorer_only_when_it_is_public(client, corpus, settings, db):
    settings.GONGKAI_CORPUS_PUBLIC = False
    assert 'href="/corpus/"' not in client.get("/").content.decode()
    settings.GONGKAI_CORPUS_PUBLIC = True
    assert 'href="/corpus/"' in client.get("/").content.decode()


def test_staff_nav_links_the_explorer(staff, corpus):
    assert 'href="/corpus/"' in staff.get("/staff/").content.decode()


# ---------------------------------------------------------------- bad input and no corpus


@pytest.mark.parametrize("query, message", [
    ("year=abc", "年度「abc」不正确"), ("year=1899", "年度「1899」不正确"), ("region=32x", "地区「32x」不正确"),
    ("level=village", "层级「village」不正确"), ("flag=nope", "质量标记「nope」不正确"),
])
def test_a_bad_filter_is_a_400_with_a_chinese_message(staff, corpus, query, message):
    for url in ("/corpus/", "/corpus/reports/"):
        response = staff.get(f"{url}?{query}")
        assert response.status_code == 400 and message in response.content.decode()


@pytest.mark.parametrize("query", ["cell=applications.nope.total", "cell=cases.granted.total", "rate=fast",
                                   "rate=granted&bin=12", "bin=3", "page=0"])
def test_a_bad_drill_down_is_a_400(staff, corpus, query):
    response = staff.get(f"/corpus/reports/?{query}")
    assert response.status_code == 400 and "不正确" in response.content.decode()


def test_an_unknown_report_is_a_404(staff, corpus):
    assert staff.get(f"/corpus/reports/{'a' * 64}/").status_code == 404
    assert staff.get("/corpus/reports/../../etc/passwd/").status_code == 404


@pytest.mark.parametrize("make", ["missing", "empty"])
def test_without_a_corpus_the_page_says_how_to_build_one(staff, settings, tmp_path, make):
    root = tmp_path / "corpus"
    if make == "empty":
        (root / "reports").mkdir(parents=True)
    settings.GONGKAI_CORPUS_DIR = root
    for url in ("/corpus/", "/corpus/reports/?year=2021"):
        response = staff.get(url)
        assert response.status_code == 200
        assert "gongkai corpus ingest" in response.content.decode() and "--out" in response.content.decode()


# ---------------------------------------------------------------- the source file


@pytest.fixture
def ingested(settings, tmp_path):
    """Two real files ingested from a source store, and one outside it."""
    from tests.corpus.tables import SEED_DIR

    from gongkai.corpus.ingest import ingest

    store = tmp_path / "sources"
    store.mkdir()
    inside = store / "seed.txt"
    shutil.copy(sorted(SEED_DIR.iterdir())[0], inside)
    outside = tmp_path / "elsewhere.txt"
    shutil.copy(sorted(SEED_DIR.iterdir())[1], outside)
    ingest([str(inside), str(outside)], tmp_path / "corpus")
    settings.GONGKAI_CORPUS_DIR, settings.GONGKAI_CORPUS_SOURCES = tmp_path / "corpus", [store]
    return {"inside": inside, "outside": outside}


def test_the_source_is_served_only_from_the_store_and_only_with_the_bytes_read(staff, ingested):
    inside = hashlib.sha256(ingested["inside"].read_bytes()).hexdigest()
    outside = hashlib.sha256(ingested["outside"].read_bytes()).hexdigest()
    response = staff.get(reverse("explorer:source", args=[inside]))
    assert response.status_code == 200 and response.content == ingested["inside"].read_bytes()
    assert "attachment" in response["Content-Disposition"]
    assert "下载原文件" in staff.get(reverse("explorer:report", args=[inside])).content.decode()
    assert staff.get(reverse("explorer:source", args=[outside])).status_code == 404
    ingested["inside"].write_text("替换过的文件", encoding="utf-8")
    assert staff.get(reverse("explorer:source", args=[inside])).status_code == 404


# ---------------------------------------------------------------- the demo's corpus


def test_the_demo_corpus_holds_the_seeds_and_flagged_samples_and_loads_once(settings, tmp_path):
    from gongkai.web.demo.corpus import load_demo_corpus
    from gongkai.web.demo.published import seed_reports

    settings.GONGKAI_CORPUS_DIR, settings.GONGKAI_CORPUS_SOURCES = tmp_path / "corpus", [tmp_path / "sources"]
    first = load_demo_corpus(write=lambda *_: None)
    assert (first.read, first.failed) == (54, 0)
    seeds = {r.agency: r for r in seed_reports()}
    stored = dict(plain(tmp_path / "corpus", """SELECT r.agency, c.value FROM cells c JOIN reports r USING (report_id)
        WHERE r.year = 2021 AND c."where" = 'applications.new.total' AND r.agency IN ?""", [list(seeds)]))
    assert stored == {agency: report.applications["new"]["total"] for agency, report in seeds.items()}
    flags = {flag for (flag,) in plain(tmp_path / "corpus", "SELECT DISTINCT flag FROM flags")}
    assert {"jump", "same_as_previous_year", "balance"} <= flags
    again = load_demo_corpus(write=lambda *_: None)
    assert (again.read, again.skipped) == (0, 54)


def test_a_superuser_opens_the_explorer_to_the_public_in_the_admin(client, corpus, settings, world):
    from django.contrib.auth import get_user_model

    settings.GONGKAI_CORPUS_PUBLIC = False
    staff_admin = get_user_model().objects.create_user("corpus_staff", password="x", is_staff=True)
    client.force_login(staff_admin)
    assert client.get(reverse("admin:explorer_explorersettings_add")).status_code == 403  # superusers only
    root = get_user_model().objects.create_superuser("corpus_root", password="x")
    client.force_login(root)
    response = client.post(reverse("admin:explorer_explorersettings_add"), {"public": "on"})
    assert response.status_code == 302
    assert ExplorerSettings.objects.get().changed_by == root
    assert client.get(reverse("admin:explorer_explorersettings_add")).status_code == 403  # one row only
    client.logout()
    assert client.get("/corpus/").status_code == 200


def test_the_level_and_region_counts_drill_down_to_their_reports(staff, corpus):
    html = staff.get("/corpus/?year=2024").content.decode()
    levels = re.search(r'<table class="corpus-levels">(.*?)</table>', html, re.S).group(1)
    town = re.search(r'乡级</th><td><a href="([^"]+)">(\d+)</a>', levels)
    expected = {rid for (rid,) in plain(corpus, """SELECT report_id FROM reports WHERE year = 2024
        AND length(region_code) = 12 AND substr(region_code, 7, 3) <> '000'""")}
    assert int(town.group(2)) == len(expected)
    assert set(listed(staff, town.group(1).replace("&amp;", "&"))[0]) == expected
    every, _ = listed(staff, "/corpus/reports/?year=2024")
    assert len(every) == len(set(every)) > 200  # three pages
    assert set(every) == {rid for (rid,) in plain(corpus, "SELECT report_id FROM reports WHERE year = 2024")}
    regions = re.search(r'<table class="corpus-regions">(.*?)</table>', html, re.S).group(1)
    shown = dict(re.findall(r'>(\d+)</a></th><td><a href="[^"]+">(\d+)</a>', regions))
    assert shown == {p: str(n) for p, n in plain(corpus, """SELECT substr(region_code, 1, 2), count(*) FROM reports
        WHERE year = 2024 AND region_code IS NOT NULL GROUP BY ALL""")}


def test_a_zip_entry_in_the_store_is_served_with_its_bytes(staff, settings, tmp_path):
    import zipfile

    from tests.corpus.tables import SEED_DIR

    from gongkai.corpus.ingest import ingest

    store = tmp_path / "sources"
    store.mkdir()
    seed = sorted(SEED_DIR.iterdir())[2]
    with zipfile.ZipFile(store / "reports.zip", "w") as archive:
        archive.write(seed, "2021/seed.txt")
    ingest([str(store / "reports.zip")], tmp_path / "corpus")
    settings.GONGKAI_CORPUS_DIR, settings.GONGKAI_CORPUS_SOURCES = tmp_path / "corpus", [store]
    response = staff.get(reverse("explorer:source", args=[hashlib.sha256(seed.read_bytes()).hexdigest()]))
    assert response.status_code == 200 and response.content == seed.read_bytes()
