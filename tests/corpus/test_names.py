"""One agency_key per agency, however its name is written; two agencies never share one."""

from collections import Counter

import pytest

from gongkai.corpus.names import resolve, spelled_out


@pytest.mark.parametrize(("short", "full"), [
    ("栖霞区政府办", "栖霞区人民政府办公室"),
    ("栖霞区政府办公室", "栖霞区人民政府办公室"),
    ("栖霞区府办", "栖霞区人民政府办公室"),
    ("平潭综合实验区管委会", "平潭综合实验区管理委员会"),
    ("南郊镇政府", "南郊镇人民政府"),
    ("栖霞区 人民政府办公室", "栖霞区人民政府办公室"),
    ("上海市科委", "上海市科学技术委员会"),                 # ../shared/corpus/shanghai-kewei-2024.md
    ("栖霞区发改委", "栖霞区发展和改革委员会"),
    ("栖霞区卫健委", "栖霞区卫生健康委员会"),
    ("栖霞区人社局", "栖霞区人力资源和社会保障局"),
    ("栖霞区住建局", "栖霞区住房和城乡建设局"),
    ("栖霞区市监局", "栖霞区市场监督管理局"),
    ("栖霞区医保局", "栖霞区医疗保障局"),
    ("栖霞区文旅局", "栖霞区文化和旅游局"),
])
def test_short_forms_are_written_out(short, full):
    assert spelled_out(short) == full
    match = resolve([short, full])[short]
    assert (match.agency_key, match.rule) == (full, "spelling")
    assert short in match.explanation and full in match.explanation


def test_a_name_without_its_city_joins_the_one_full_name():
    keys = resolve(["栖霞区政府办", "南京市栖霞区人民政府办公室", "栖霞区人民政府办公室"])
    assert {m.agency_key for m in keys.values()} == {"南京市栖霞区人民政府办公室"}
    assert keys["栖霞区人民政府办公室"].rule == "prefix"


def test_an_ocr_misread_character_joins_the_name_seen_more_often():
    counts = Counter({"亳州市人民政府": 3, "毫州市人民政府": 1})
    keys = resolve(counts, counts)
    assert keys["毫州市人民政府"].agency_key == "亳州市人民政府"
    assert keys["毫州市人民政府"].rule == "ocr"
    assert "「毫」与「亳」" in keys["毫州市人民政府"].explanation
    assert keys["亳州市人民政府"].rule == "exact"


@pytest.mark.parametrize("names", [
    ("城东区人民政府办公室", "城西区人民政府办公室"),       # one character apart, not an OCR confusion
    ("栖霞区人民政府办公室", "鼓楼区人民政府办公室"),
    ("栖霞区人民政府办公室", "栖霞区人民政府"),             # the office is not the government
    ("南京市鼓楼区人民政府办公室", "福州市鼓楼区人民政府办公室"),
    ("南郊镇人民政府", "北郊镇人民政府"),
    ("栖霞区科学技术局", "栖霞区科学技术委员会"),           # a 局 and a 委员会 are different agencies
])
def test_different_agencies_keep_their_own_keys(names):
    keys = resolve(names)
    assert len({m.agency_key for m in keys.values()}) == len(names)


def test_a_short_name_matching_two_full_names_stays_apart():
    keys = resolve(["南京市鼓楼区人民政府办公室", "福州市鼓楼区人民政府办公室", "鼓楼区政府办"])
    assert keys["鼓楼区政府办"].agency_key == "鼓楼区人民政府办公室"
    assert len({m.agency_key for m in keys.values()}) == 3
