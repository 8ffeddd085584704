"""An export reads one moment of the database and holds no writer up: the public form keeps working meanwhile."""

import json
import zipfile

import pytest
from tests.web.factories import AgencyFactory
from tests.web.threads import run_in_threads

from gongkai.web.cases.models import Application
from gongkai.web.public.services import online_application_submit
from gongkai.web.transfer.export import agency_export, read_snapshot

pytestmark = pytest.mark.django_db(transaction=True)


def submit(agency, token):
    return online_application_submit(
        token=token, agency=agency, applicant_type="natural_person", applicant_name="李四",
        applicant_id_number="110101199001011234", applicant_phone="13912345678", information_sought="某文件",
        delivery_form="当面领取")


@pytest.fixture
def agency(office_day):
    agency = AgencyFactory()
    submit(agency, "first")
    return agency


def test_a_form_submitted_while_an_export_reads_is_registered_at_once_and_not_seen_by_it(agency):
    with read_snapshot():
        assert Application.objects.count() == 1
        (late,) = run_in_threads(1, lambda n: submit(agency, "during-export"))  # not kept waiting for the lock
        assert Application.objects.count() == 1  # the export's moment: before that form
    assert Application.objects.filter(pk=late.application.pk).exists()


def test_an_archive_written_while_forms_arrive_holds_whole_cases(agency, tmp_path):
    import threading

    from django.db import connection

    stop, made = threading.Event(), []

    def keep_submitting():
        try:
            while not stop.is_set():
                made.append(submit(agency, f"busy-{len(made)}"))
        finally:
            connection.close()

    writer = threading.Thread(target=keep_submitting)
    writer.start()
    try:
        while len(made) < 3:
            threading.Event().wait(0.02)
        agency_export(agency=agency, path=tmp_path / "busy.zip")
    finally:
        stop.set()
        writer.join()
    with zipfile.ZipFile(tmp_path / "busy.zip") as zf:
        def pks(name, key):
            return {json.loads(line)[key] if key == "pk" else json.loads(line)["fields"][key]
                    for line in zf.read(f"data/{name}.jsonl").decode().splitlines()}
        cases = pks("cases.application", "pk")
        assert cases and pks("cases.applicationevent", "application") == cases
        assert pks("public.publicsubmission", "application") == cases
        assert {int(v) for v in pks("cases.historicalapplication", "id")} == cases
