"""Quality flags over the corpus: each names the report, the cell and the source file."""

import copy

import pyarrow.parquet as pq
import pytest
from tests.corpus.tables import SEED_DIR

from gongkai.corpus.ingest import ingest
from gongkai.report.read import read_report
from gongkai.report.write import render


@pytest.fixture
def seed():
    return read_report(sorted(SEED_DIR.glob("000_*.txt"))[0])  # 栖霞区人民政府办公室 2021, every check passes


def write(folder, name, report):
    (folder / name).write_bytes(render(report, "md"))
    return str(folder / name)


def flags_of(out):
    return pq.read_table(out / "flags.parquet").to_pylist()


def test_a_report_identical_to_the_agencys_previous_year_is_flagged(tmp_path, seed):
    earlier = copy.deepcopy(seed)
    earlier.year = 2020
    later = copy.deepcopy(seed)
    later.agency = "栖霞区政府办"  # the same agency, its short name: one agency_key
    later.sections["overview"] = "今年的总体情况不同。"
    write(tmp_path, "2020.md", earlier)
    source = write(tmp_path, "2021.md", later)
    ingest([str(tmp_path)], tmp_path / "out")
    (flag,) = [f for f in flags_of(tmp_path / "out") if f["flag"] == "same_as_previous_year"]
    assert flag["year"] == 2021 and flag["source_file"] == source
    assert flag["previous_report_id"] and flag["previous_report_id"] != flag["report_id"]


def test_another_agency_with_the_same_numbers_is_not_flagged(tmp_path, seed):
    earlier = copy.deepcopy(seed)
    earlier.year = 2020
    earlier.agency = "鼓楼区人民政府办公室"
    write(tmp_path, "2020.md", earlier)
    write(tmp_path, "2021.md", seed)
    ingest([str(tmp_path)], tmp_path / "out")
    assert not [f for f in flags_of(tmp_path / "out") if f["flag"] == "same_as_previous_year"]


def test_zero_total_balance_and_jump(tmp_path, seed):
    earlier = copy.deepcopy(seed)
    earlier.year = 2020
    later = copy.deepcopy(seed)
    later.applications["granted"]["total"] = 0          # parts 14 + 0 …: a zero 总计 with non-zero parts
    later.appeals["review"] = {"upheld": 40, "corrected": 10, "other": 0, "pending": 0, "total": 50}
    earlier.appeals["review"] = {"upheld": 2, "corrected": 0, "other": 0, "pending": 0, "total": 2}
    write(tmp_path, "2020.md", earlier)
    source = write(tmp_path, "2021.md", later)
    ingest([str(tmp_path)], tmp_path / "out")
    flags = {(f["flag"], f["where"]): f for f in flags_of(tmp_path / "out")}
    zero = flags[("zero_total", "applications.granted.total")]
    assert zero["source_file"] == source and "分项之和为 14" in zero["message"]
    assert any(flag == "balance" for flag, _ in flags)
    jump = flags[("jump", "appeals.review.total")]
    assert (jump["value"], jump["previous_value"]) == (50, 2)
    assert ("jump", "applications.new.total") not in flags


def test_a_number_in_the_text_that_contradicts_table_three_is_flagged(tmp_path, seed):
    seed.sections["overview"] = "本年度共收到政府信息公开申请99件。"
    source = write(tmp_path, "2021.md", seed)
    ingest([str(tmp_path)], tmp_path / "out")
    (flag,) = [f for f in flags_of(tmp_path / "out") if f["flag"] == "text_contradicts_table"]
    assert flag["source_file"] == source and flag["where"] == "sections.overview"
    assert "99" in flag["message"]


def test_a_section_copied_from_another_agency_is_flagged(tmp_path, seed):
    problems = "工作中还存在一些不足：主动公开的深度和广度有待加强，政策解读形式较为单一，" * 3
    other = copy.deepcopy(seed)
    other.agency = "鼓楼区人民政府办公室"
    for report in (seed, other):
        report.sections["problems"] = problems
    other.sections["overview"] = "鼓楼区的总体情况。"
    write(tmp_path, "qixia.md", seed)
    write(tmp_path, "gulou.md", other)
    same_agency = copy.deepcopy(seed)
    same_agency.year = 2020
    write(tmp_path, "qixia-2020.md", same_agency)  # an agency repeating its own words is not copying
    ingest([str(tmp_path)], tmp_path / "out")
    copied = [f for f in flags_of(tmp_path / "out") if f["flag"] == "text_copied"]
    assert sorted(f["where"] for f in copied) == ["sections.problems"] * 3
    assert all("另外 1 个单位" in f["message"] for f in copied)
