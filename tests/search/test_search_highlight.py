from gongkai.search.highlight import highlight, match_spans, snippet


def test_matches_are_marked_and_everything_else_escaped():
    html = highlight("<b>复议</b> & 低保", ["复议", "低保"])
    assert html == "&lt;b&gt;<mark>复议</mark>&lt;/b&gt; &amp; <mark>低保</mark>"


def test_indexed_script_is_escaped_even_inside_a_match():
    html = highlight("<script>alert(1)</script>", ["script"])
    assert "<script" not in html
    assert html == "&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt;"


def test_matching_folds_width_and_case_but_marks_the_original_text():
    assert highlight("附件ＰＤＦ版", ["pdf"]) == "附件<mark>ＰＤＦ</mark>版"
    assert highlight("①低保", ["低保"]) == "①<mark>低保</mark>"  # ① folds to 1: positions still map back


def test_longest_needle_wins():
    assert match_spans("政府信息公开", ["信息", "政府信息公开"]) == [(0, 6)]


def test_snippet_is_a_window_around_the_first_match():
    text = "甲" * 300 + "低保" + "乙" * 300
    result = snippet(text, ["低保"], width=60)
    assert result.startswith("…") and result.endswith("…")
    assert "<mark>低保</mark>" in result
    assert len(result.replace("<mark>", "").replace("</mark>", "")) == 62


def test_snippet_without_a_match_is_the_escaped_start():
    assert snippet("a<b\n\nc", ["复议"]) == "a&lt;b c"
