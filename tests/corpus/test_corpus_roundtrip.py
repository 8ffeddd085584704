"""Every report gongkai's writers produce comes back from the corpus equal to the report written."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.report.test_roundtrip import assert_same_tables
from tests.strategies import annual_reports

from gongkai.corpus.ingest import ingest
from gongkai.corpus.query import load_report
from gongkai.report.read import read_report
from gongkai.report.write import render


@pytest.mark.slow
@settings(max_examples=2, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(reports=st.lists(annual_reports(), min_size=4, max_size=4))
def test_written_reports_come_back_from_the_parquet(tmp_path_factory, reports):
    import hashlib

    folder = tmp_path_factory.mktemp("written")
    written = {}
    for number, report in enumerate(reports):
        for fmt in ("md", "html", "json"):
            data = render(report, fmt)
            (folder / f"{number}.{fmt}").write_bytes(data)
            # Two equal reports drawn give equal bytes: the corpus keeps the first file seen.
            written.setdefault(hashlib.sha256(data).hexdigest(), (report, data, f"{number}.{fmt}"))
    out = tmp_path_factory.mktemp("corpus")
    summary = ingest([str(folder)], out, batch_size=5)
    assert summary.failed == 0 and summary.read + summary.duplicates == len(reports) * 3
    for digest, (report, data, name) in written.items():
        stored = load_report(out, digest)
        assert_same_tables(report, stored)
        direct = read_report(data, filename=name)
        assert stored.to_json() == direct.to_json()
