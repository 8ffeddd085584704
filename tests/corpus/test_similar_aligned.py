"""Two matching sections side by side: sentences paired in order, identical and edited ones told apart."""

from tests.conftest import SEEDS

from gongkai.corpus import similar
from gongkai.report.read import read_report


def _edited(text: str) -> str:
    """Last year's text with the year changed, one sentence reworded and one added: a typical repeat."""
    text = text.replace("2021年", "2022年")
    first, rest = text.split("。", 1)
    return f"{first[:-4]}有所提高。{rest}本年度还新增了一项工作安排。"


def test_a_seed_section_against_its_edited_copy_pairs_every_sentence_in_order():
    text = read_report(SEEDS[0]).sections["problems"]
    copy = _edited(text)
    rows = similar.aligned_sentences(text, copy)
    left, right = similar.sentences(text), similar.sentences(copy)
    assert [row.left for row in rows if row.left] == left and [row.right for row in rows if row.right] == right
    matched = [row for row in rows if row.similarity]
    assert len(matched) == len(left)  # every sentence of the original has its counterpart
    assert [row.right for row in rows if row.left is None] == ["本年度还新增了一项工作安排。"]
    changed = [row for row in matched if row.similarity < 1]
    assert changed and all(row.left != row.right for row in changed)


def test_two_different_seeds_have_no_matching_sentences():
    a, b = read_report(SEEDS[0]).sections["overview"], read_report(SEEDS[2]).sections["overview"]
    rows = similar.aligned_sentences(a, b)
    assert not [row for row in rows if row.similarity]
    assert len(rows) == len(similar.sentences(a)) + len(similar.sentences(b))


def test_a_moved_sentence_leaves_the_rest_aligned():
    a = "第一句话写得很长很长。第二句话也写得很长。第三句话同样写得很长。"
    b = "第三句话同样写得很长。第一句话写得很长很长。第二句话也写得很长。"
    rows = similar.aligned_sentences(a, b)
    assert sum(1 for row in rows if row.similarity == 1.0) == 2
    assert len(rows) == 4
