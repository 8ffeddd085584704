"""``gongkai backup`` / ``restore``: an online, consistent copy of the whole database, restored without losing data."""

import sqlite3
import subprocess
import threading

import pytest
from django.db import connection
from tests.web.factories import AgencyFactory

from gongkai.web.agencies.models import Agency
from gongkai.web.cases.models import Application, ApplicationEvent
from gongkai.web.public.models import PublicSubmission
from gongkai.web.public.services import online_application_submit
from gongkai.web.transfer.backup import (
    BackupError,
    backup_verify,
    database_backup,
    database_restore,
    pg_tool,
    server_major,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(settings, tmp_path, office_day):
    settings.DATA_DIR = tmp_path / "data"
    agency = AgencyFactory(full_name="备份测试街道办事处")
    for n in range(3):
        submit(agency, f"before-{n}")
    return agency


def submit(agency, token):
    return online_application_submit(
        token=token, agency=agency, applicant_type="natural_person", applicant_name="李四",
        applicant_id_number="110101199001011234", applicant_phone="13912345678", information_sought="某文件",
        delivery_form="当面领取")


def numbers() -> set[str]:
    return set(Application.objects.values_list("number", flat=True))


def saved_numbers(path) -> str:
    """The application numbers held in a backup file, read without restoring it."""
    if connection.vendor == "sqlite":
        db = sqlite3.connect(path)
        try:
            return " ".join(row[0] for row in db.execute("SELECT number FROM cases_application"))
        finally:
            db.close()
    return subprocess.run([pg_tool("pg_restore"), "--data-only", "--table=cases_application", "--file=-", str(path)],
                          capture_output=True, text=True, check=True).stdout


def test_no_model_keeps_files_on_disk_so_the_database_is_the_whole_site():
    # Attachments are stored in the database (disclosure.Attachment.content). A FileField would put
    # files in a directory the backup does not copy: teach backup.py (and export.py) first.
    from django.apps import apps
    from django.db import models

    on_disk = [f"{m._meta.label}.{f.name}" for m in apps.get_models() for f in m._meta.concrete_fields
               if isinstance(f, models.FileField)]
    assert on_disk == []


def test_restore_brings_back_the_backup_and_keeps_what_it_replaced(site, tmp_path):
    from datetime import date

    from gongkai.web.disclosure.models import Attachment, Publication

    publication = Publication.objects.create(agency=site, index_number="BK-1", title="附件测试", genre="other_document",
                                             article20_item=1, formed_on=date(2024, 3, 1))
    content = bytes(range(256)) * 40
    Attachment.objects.create(publication=publication, name="表格.xlsx", kind="xlsx", size=len(content),
                              content=content)
    before = numbers()
    path = database_backup(tmp_path / "site.backup")
    assert backup_verify(path) == connection.vendor
    later = submit(site, "after-backup").application.number

    with pytest.raises(BackupError, match="数据库中已有数据.*--force"):
        database_restore(path)
    assert numbers() == before | {later}  # refused: nothing changed

    Attachment.objects.all().delete()
    restored = database_restore(path, force=True)
    assert numbers() == before
    assert bytes(Attachment.objects.get().content) == content  # uploaded files are in the backup
    assert later in saved_numbers(restored.saved_before)  # what was replaced is kept beside the database
    assert submit(site, "after-restore").application.pk  # the restored site takes new applications


def test_a_damaged_or_foreign_file_is_refused_before_anything_is_replaced(site, tmp_path):
    before = numbers()
    good = database_backup(tmp_path / "site.backup")
    cut = tmp_path / "cut.backup"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(BackupError, match="已损坏|失败"):
        database_restore(cut, force=True)
    other = tmp_path / "notes.txt"
    other.write_text("不是备份", encoding="utf-8")
    with pytest.raises(BackupError, match="不是 gongkai backup 生成的备份文件"):
        database_restore(other, force=True)
    with pytest.raises(BackupError, match="备份文件不存在"):
        database_restore(tmp_path / "missing.backup", force=True)
    assert numbers() == before and not list((tmp_path / "data").glob("before-restore-*"))


@pytest.mark.slow
def test_a_backup_taken_while_forms_are_submitted_is_consistent(site, tmp_path):
    stop, errors, made = threading.Event(), [], []

    def keep_submitting(n):
        try:
            i = 0
            while not stop.is_set():
                made.append(submit(site, f"busy-{n}-{i}").application.number)
                i += 1
        except Exception as error:  # reported in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=keep_submitting, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    try:
        while len(made) < 5:
            threading.Event().wait(0.05)
        path = database_backup(tmp_path / "busy.backup")
        while len(made) < 10:
            threading.Event().wait(0.05)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert not errors
    database_restore(path, force=True)
    # Every application in the copy came with its event and its form row: no half-written case.
    assert Application.objects.count() >= 8
    assert not Application.objects.exclude(pk__in=ApplicationEvent.objects.values("application")).exists()
    assert PublicSubmission.objects.count() == Application.objects.count()
    assert Agency.objects.get() == site


def test_pg_dump_of_the_server_major_version_is_used():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    tool = pg_tool("pg_dump")
    version = subprocess.run([tool, "--version"], capture_output=True, text=True).stdout
    assert f" {server_major()}." in version


def test_a_backup_from_a_newer_gongkai_is_refused_even_with_force(site, tmp_path):
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connection)
    recorder.record_applied("cases", "0099_a_field_from_the_future")  # as a newer gongkai would have
    path = database_backup(tmp_path / "newer.backup")
    recorder.record_unapplied("cases", "0099_a_field_from_the_future")
    before = numbers()
    with pytest.raises(BackupError, match="较新版本.*cases.0099_a_field_from_the_future"):
        database_restore(path, force=True)
    assert numbers() == before
