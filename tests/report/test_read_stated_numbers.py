"""Run-together cells of table 二 split by the numbers the report's own prose states."""

from tests.conftest import FIXTURES

from gongkai.report.read import read_report


def _oneline_003(sentence: str):
    text = (FIXTURES / "layouts" / "003_a65fa051b6f5e026.oneline.txt").read_text(encoding="utf-8")
    cut = text.index("二、主动公开政府信息情况")
    return read_report((text[:cut] + sentence + text[cut:]).encode("utf-8"), filename="003.oneline.txt")


def test_run_together_table_two_row_is_split_by_the_numbers_its_prose_states():
    """``26026`` is 2|60|26, 26|0|26, 260|2|6 …; the prose says 26 were issued and 26 are in force."""
    report = _oneline_003("全年制发行政规范性文件26件，现行有效行政规范性文件26件。")
    assert report.proactive["normative_documents"] == {"issued": 26, "repealed": 0, "in_force": 26}


def test_prose_numbers_that_fit_no_reading_or_say_nothing_of_the_row_change_nothing():
    for sentence in ("全年制发行政规范性文件7件。", "公开政策文件26件。", "现行有效行政规范性文件26件，另有现行有效行政规范性文件30件。"):
        report = _oneline_003(sentence)
        assert report.proactive["normative_documents"] == {"issued": None, "repealed": None, "in_force": None}, sentence
