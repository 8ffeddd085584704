from gongkai.search import fold, query_terms, segment


def words(text):
    return segment(text).split()


def test_two_character_words_are_their_own_tokens():
    assert "复议" in words("申请人申请行政复议")
    assert "低保" in words("城乡低保户")
    assert "低保" in words("低保")


def test_government_terms_from_the_user_dictionary_stay_whole():
    for term in ["政府信息公开", "依申请公开", "行政复议", "规范性文件", "政务公开"]:
        assert term in words(f"关于{term}的说明")


def test_words_inside_longer_words_are_indexed_too():
    # jieba's own search mode would not give the 4-character word inside a 6-character one
    assert "信息公开" in words("政府信息公开")


def test_full_width_and_case_are_folded():
    assert fold("ＡＢＣ１２３　公开") == "abc123 公开"
    assert words("ＰＤＦ附件") == words("pdf附件")


def test_segment_drops_punctuation():
    assert segment("《》“”，。!?") == ""
    assert segment("") == ""


def test_query_terms_split_on_spaces_and_segment_each_part():
    assert query_terms("低保 复议") == ["低保", "复议"]
    assert query_terms("政府信息公开") == ["政府信息公开"]
    assert query_terms("ＰＤＦ") == ["pdf"]


def test_query_terms_of_one_character():
    assert query_terms("税") == ["税"]  # a lone character: a prefix term for the backends
    assert query_terms("低保的") == ["低保"]  # particles inside a longer part are not required
    assert query_terms("我的") == ["我 的"]  # only single characters: required together


def test_query_terms_never_carry_syntax():
    assert query_terms("") == []
    assert query_terms("   ") == []
    assert query_terms('"*()^:-+') == []
    assert query_terms('NEAR("复议" 低保*)') == ["near", "复议", "低保"]
    assert query_terms("复议 复议") == ["复议"]


def test_importing_search_loads_neither_jieba_nor_django():
    import subprocess
    import sys

    code = "import sys, gongkai.search; print('jieba' in sys.modules, 'django' in sys.modules)"
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.split() == ["False", "False"]


def test_user_dictionary_ships_with_the_package():
    from importlib import resources

    words = resources.files("gongkai.search").joinpath("userdict.txt").read_text(encoding="utf-8")
    assert "依申请公开" in words and "低保" in words
