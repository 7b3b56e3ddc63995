"""`manage.py import_articles`: files, folders and collections in; bad items reported
by name and skipped; a summary; exit status 1 when anything was refused."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from timeline.models import Action, Article

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"
BASE_DIR = Path(__file__).resolve().parent.parent


@pytest.fixture
def library(tmp_path) -> Path:
    """The fixture folder plus bad files made on the spot: binary, empty, a fake PDF, and one to ignore."""
    root = tmp_path / "library"
    shutil.copytree(FIXTURES, root)
    bad = root / "bad"
    bad.mkdir()
    (bad / "binary.txt").write_bytes(b"\x00\x01\x02\x03\xff\xfe binary junk")
    (bad / "empty.md").write_bytes(b"")
    (bad / "fake.pdf").write_bytes(b"Plain words in a file called .pdf")
    (bad / "notes.docx").write_bytes(b"PK\x03\x04 ignored in a folder: not a type we import")
    return root


def run(*args, **options) -> tuple[str, str, int]:
    stdout, stderr = StringIO(), StringIO()
    try:
        call_command("import_articles", *map(str, args), stdout=stdout, stderr=stderr, **options)
    except CommandError as exc:
        return stdout.getvalue(), stderr.getvalue(), exc.returncode
    return stdout.getvalue(), stderr.getvalue(), 0


def test_a_mixed_folder_is_imported_with_bad_items_named_and_skipped(library):
    stdout, stderr, status = run(library, published="2019-05-17", source="Desk")

    assert status == 1
    assert "Imported 6, duplicates 1, refused 7, extraction failed 0" in stdout
    for expected in [
        "bad/binary.txt: refused: This looks like a binary file",
        "bad/empty.md: refused: The file is empty.",
        "bad/fake.pdf: refused: This is not a PDF file",
        "records.jsonl line 2: refused: not valid JSON",
        "records.jsonl line 3: refused: the record has no 'text'",
        "records.csv record 2: refused: 'published' must be a date",
        "records.csv record 3: refused: The document contains no text",
        "resent/huawei-copy.txt: skipped, duplicate of article #",
    ]:
        assert expected in stderr, expected
    assert "notes.docx" not in stderr

    articles = {a.title: a for a in Article.objects.all()}
    assert set(articles) == {
        "Commerce adds Huawei to the Entity List",
        "FTC sues Facebook over Instagram and WhatsApp deals",
        "Justice Department sues Google",
        "EU fines Google over Android",
        "India bans 59 Chinese apps",
        "Treasury sanctions Rusal",
    }
    html = articles["FTC sues Facebook over Instagram and WhatsApp deals"]
    assert html.published_on == dt.date(2020, 12, 9)  # its own metadata, not --published
    assert html.source_name == "Example Wire" and "never-in-the-text" not in html.body
    huawei = articles["Commerce adds Huawei to the Entity List"]
    assert (huawei.published_on, huawei.source_name) == (dt.date(2019, 5, 17), "Desk")
    assert huawei.original.name.endswith(".txt")
    record = articles["EU fines Google over Android"]
    assert (record.published_on, record.url) == (dt.date(2018, 7, 18), "https://example.org/eu-google-android")

    assert {a.status for a in articles.values()} == {Article.Status.DONE}
    found = int(stdout.rsplit("actions found ", 1)[1].rstrip(".\n"))
    assert found > 0
    assert Action.objects.filter(mentions__article=huawei, action_type="export_control").exists()


def test_a_clean_import_exits_zero_and_a_second_run_only_finds_duplicates(library):
    good = library / "good"
    stdout, _, status = run(good, published="2019-05-17")
    assert status == 0 and "Imported 3, duplicates 0, refused 0" in stdout
    stdout, _, status = run(good, published="2019-05-17")
    assert status == 0 and "Imported 0, duplicates 3, refused 0" in stdout
    assert Article.objects.count() == 3


def test_plain_files_need_a_date(library):
    _, stderr, status = run(library / "good" / "huawei-entity-list.txt")
    assert status == 1
    assert "huawei-entity-list.txt: refused: no publication date; pass --published YYYY-MM-DD" in stderr
    assert Article.objects.count() == 0


def test_background_only_enqueues(library, django_capture_on_commit_callbacks, monkeypatch):
    from timeline import tasks

    monkeypatch.setattr(tasks, "extract_batch", lambda *a, **k: pytest.fail("extraction ran in the command"))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        stdout, _, status = run(library / "records.jsonl", background=True)
    assert status == 1  # the jsonl holds two bad records
    assert "Imported 2 (extraction queued for the worker)" in stdout
    assert set(Article.objects.values_list("status", flat=True)) == {Article.Status.QUEUED}
    assert len(callbacks) == 1  # both in one batch
    assert Action.objects.count() == 0


def test_the_exit_status_reaches_the_shell(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}"}
    finished = subprocess.run(
        [sys.executable, "manage.py", "import_articles", str(tmp_path / "missing.txt")],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert finished.returncode == 1
    assert "missing.txt: refused: no such file or folder" in finished.stderr
    assert "Imported 0, duplicates 0, refused 1" in finished.stdout


def test_load_demo_populates_the_timeline_once():
    """The demo file ships in the project; a second run only finds duplicates."""
    stdout, _, status = run_demo()
    assert status == 0
    assert "Imported 13, duplicates 0, refused 0, extraction failed 0" in stdout
    assert set(Article.objects.values_list("status", flat=True)) == {Article.Status.DONE}
    founding = Article.objects.get(published_on=dt.date(2020, 8, 16))
    assert founding.title.startswith("Trump signals pressure on Alibaba")
    assert Action.objects.filter(mentions__article=founding, deadlines__due_on=dt.date(2020, 11, 12)).exists()
    assert Action.objects.count() >= 13

    stdout, _, status = run_demo()
    assert status == 0 and "Imported 0, duplicates 13" in stdout
    assert Article.objects.count() == 13


def run_demo() -> tuple[str, str, int]:
    stdout, stderr = StringIO(), StringIO()
    call_command("load_demo", stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue(), 0


def test_create_dev_admin_creates_or_resets_a_superuser_and_refuses_without_debug(settings, client):
    from django.contrib.auth import get_user_model

    settings.DEBUG = True
    out = StringIO()
    call_command("create_dev_admin", stdout=out)
    password = out.getvalue().split("password: ", 1)[1].split()[0]
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.is_staff and user.check_password(password)
    call_command("create_dev_admin", password="fixed-dev-password", stdout=StringIO())
    assert get_user_model().objects.get(username="admin").check_password("fixed-dev-password")

    settings.DEBUG = False
    with pytest.raises(CommandError, match="development only"):
        call_command("create_dev_admin", stdout=StringIO())
