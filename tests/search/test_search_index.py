"""The same behaviour from every backend (PostgreSQL only when DATABASE_URL is set)."""

import pytest

from gongkai.search import Publication, SearchIndex


def ids(page):
    return {hit.id for hit in page.hits}


def test_backends_implement_the_interface(index):
    assert isinstance(index, SearchIndex)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("复议", {2, 3, 5}),  # title, body (复议时), title
        ("低保", {1, 5}),  # title and body
        ("行政复议", {2}),
        ("依申请公开", {4}),
        ("政府信息公开", {2, 4}),
        ("信息公开", {2, 4}),  # inside the longer word
        ("低保 复议", {5}),  # every term required
        ("2024", {1, 3, 5}),  # in 文号
        ("政发", {3}),  # a word of 文号
        ("民发", {1}),  # jieba cuts 某民发 otherwise: found by the 文号 substring fallback
        ("营商环境", {6}),
        ("不存在的词语组合", set()),
    ],
)
def test_words_found_in_title_doc_number_and_body(index, query, expected):
    page = index.search(query)
    assert ids(page) == expected
    assert page.total == len(expected)


def test_title_matches_rank_above_body_matches(index):
    hits = index.search("复议").hits
    assert hits[-1].id == 3  # only in the body
    assert all(hit.score >= later.score for hit, later in zip(hits, hits[1:], strict=False))


def test_one_character_query_matches_words_starting_with_it(index):
    assert {2, 4} <= ids(index.search("政"))  # 政府信息公开


def test_hits_are_highlighted_in_the_original_text(index):
    (hit,) = index.search("依申请公开").hits
    assert hit.snippet == "本年度共收到<mark>依申请公开</mark>申请120件，无行政诉讼案件。"
    (hit,) = index.search("低保 说明").hits
    assert hit.title == "关于调整<mark>低保</mark>标准的复议<mark>说明</mark>"
    assert hit.doc_number == "某民函〔2024〕7号"
    (hit,) = index.search("政发").hits
    assert hit.doc_number == "某<mark>政发</mark>〔2024〕12号"


def test_indexed_html_is_escaped(index):
    (hit,) = index.search("alert").hits
    assert "<script>" not in hit.snippet
    assert hit.snippet == "说明&lt;script&gt;<mark>alert</mark>(&#x27;x&#x27;)&lt;/script&gt;正文 &amp; 其他。"


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"agency": "市民政局"}, {5}),
        ({"year": 2023}, {2}),
        ({"year": "2024"}, {3, 5}),
        ({"category": "通知"}, {3}),
        ({"agency": "市政府办公室", "year": 2024, "category": "通知"}, {3}),
        ({"agency": "市政府办公室", "year": 2023}, set()),
        ({"agency": None, "year": ""}, {2, 3, 5}),  # empty filters are no filters
        ({"year": "abc"}, set()),  # from a URL: matches nothing, never raises
        ({"year": "99999999999999999999"}, set()),  # too big for an INTEGER column: nothing, no error
        ({"year": "-2024"}, set()),
    ],
)
def test_filters(index, filters, expected):
    page = index.search("复议", filters=filters)
    assert ids(page) == expected
    assert page.total == len(expected)


def test_unknown_filter_is_a_programming_error(index):
    with pytest.raises(ValueError):
        index.search("复议", filters={"colour": "red"})


def test_pagination_and_totals(empty_index):
    empty_index.rebuild(
        Publication(i, f"第{i}号低保通知", body="低保" * (i % 5 + 1), agency="甲" if i % 2 else "乙", year=2020 + i % 3)
        for i in range(1, 54)
    )
    pages = [empty_index.search("低保", page=n, per_page=10) for n in range(1, 8)]
    assert [p.total for p in pages] == [53] * 7
    assert [len(p.hits) for p in pages] == [10, 10, 10, 10, 10, 3, 0]
    seen = [hit.id for p in pages for hit in p.hits]
    assert sorted(seen) == list(range(1, 54))  # no row twice, none lost between pages
    assert pages[0].pages == 6
    scores = [hit.score for p in pages for hit in p.hits]
    assert scores == sorted(scores, reverse=True)

    filtered = empty_index.search("低保", filters={"agency": "甲", "year": 2021}, page=2, per_page=4)
    expected = sorted(i for i in range(1, 54) if i % 2 and i % 3 == 1)
    assert filtered.total == len(expected)
    assert len(filtered.hits) == min(4, len(expected) - 4)


def test_out_of_range_paging_is_brought_into_range(index):
    assert index.search("复议", page=0, per_page=0).per_page == 1
    assert index.search("复议", page=-3).page == 1
    assert len(index.search("复议", per_page=10_000).hits) == 3
    assert index.search("复议", page="x").total == 3
    huge = index.search("复议", page="99999999999999999999")  # an offset no database takes
    assert (huge.total, huge.hits, huge.page) == (3, [], 10_000)


def test_update_and_remove(index):
    index.update(Publication(6, "关于低保资金的通知", "某发改〔2022〕9号", "正文", agency="市发展改革委", year=2022))
    assert ids(index.search("低保")) == {1, 5, 6}
    assert ids(index.search("营商环境")) == set()  # the old words are gone
    index.remove(1)
    assert ids(index.search("低保")) == {5, 6}
    index.remove(1)  # twice: no error
    index.remove(999)
    index.add(Publication(7, "新的复议公告", year=2025))
    assert 7 in ids(index.search("复议"))
    index.add(Publication(7, "新的公告", year=2025))  # same id again: replaced, not duplicated
    assert 7 not in ids(index.search("复议"))
    assert ids(index.search("公告")) == {7}


def test_rebuild_replaces_everything(index):
    assert index.rebuild([Publication(10, "唯一的低保文件")]) == 1
    assert ids(index.search("低保")) == {10}
    assert index.search("复议").total == 0


@pytest.mark.parametrize(
    "query",
    ["", "   ", '"', '""', "*", "(", ")", "NEAR", "NEAR(复议 低保)", "复议 AND", "OR 低保", "NOT", "^", ":", "-",
     "title_seg:复议", "复议*", '"复议', "低保'", "\\", "%", "_", "%复议%", "'; DROP TABLE x; --", "\x00", "复议\x00", "民\x00发", "\u200b复议",
     "《》", "！？", "a" * 2000, "复议 " * 300, "<script>"],
)
def test_hostile_queries_never_raise(index, query):
    page = index.search(query)
    assert page.total >= 0
    for hit in page.hits:
        assert "<script" not in hit.title + hit.snippet + hit.doc_number


def test_empty_and_punctuation_queries_give_an_empty_page(index):
    for query in ["", "  ", "《》。，", '"*()']:
        page = index.search(query)
        assert page.total == 0 and page.hits == [] and page.pages == 0


def test_syntax_characters_do_not_change_the_meaning(index):
    assert ids(index.search('"复议"')) == ids(index.search("复议"))
    assert ids(index.search("复议*")) == ids(index.search("复议"))
    assert ids(index.search("NEAR(低保)")) == set()  # near is a required word that no text has
