"""Real worker processes on a real database queue: a worker killed mid-batch loses
nothing, and the worker that takes over stores nothing twice.

Everything runs in subprocesses against a throwaway SQLite file (DATABASE_URL), with
a 3-second claim lease and TIMELINE_TEST_EXTRACT_DELAY slowing each article so the
kill lands mid-batch. The same articles imported in-process into a second database
give the expected result to compare with.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

import psutil
import pytest

pytestmark = pytest.mark.slow

BASE_DIR = Path(__file__).resolve().parent.parent
COMPANIES = ["Huawei", "ZTE", "Hikvision", "Dahua", "SMIC", "YMTC", "DJI", "SenseTime"]
LEASE_SECONDS = 3
DELAY_SECONDS = 0.8


def environment(tmp_path: Path, name: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / name}",
        "DJANGO_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "DJANGO_MEDIA_ROOT": str(tmp_path / f"media-{name}"),
        "ARTICLE_CLAIM_LEASE_SECONDS": str(LEASE_SECONDS),
        "PYTHONUNBUFFERED": "1",
    }


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    finished = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=300
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    return finished


def start_worker(env: dict[str, str], log_path: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--interval", "0.2"],
        cwd=BASE_DIR,
        env={**env, "TIMELINE_TEST_EXTRACT_DELAY": str(DELAY_SECONDS)},
        stdout=log_path.open("w"),
        stderr=subprocess.STDOUT,
    )


def statuses(db: Path) -> Counter:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=20) as connection:
        return Counter(status for (status,) in connection.execute("SELECT status FROM timeline_article"))


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


def stored_extraction(db: Path) -> dict[str, Counter]:
    """Per article title: its mentions as (type, start, end, window) with multiplicity."""
    query = """
        SELECT ar.title, ac.action_type, m.start_char, m.end_char, ac.occurred_from, ac.occurred_to
        FROM timeline_mention m
        JOIN timeline_action ac ON ac.id = m.action_id
        JOIN timeline_article ar ON ar.id = m.article_id
    """
    found: dict[str, Counter] = {}
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=20) as connection:
        for title, *mention in connection.execute(query):
            found.setdefault(title, Counter())[tuple(mention)] += 1
    return found


def articles_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for number, company in enumerate(COMPANIES):
        (folder / f"{number:02d}-{company.lower()}.txt").write_text(
            f"Commerce adds {company} to the Entity List\n\n"
            f"The U.S. Commerce Department on Friday added {company} to its Entity List, barring the company "
            f"from buying American technology without a license.\n",
            encoding="utf-8",
        )
    return folder


def test_a_worker_killed_mid_batch_is_recovered_with_every_article_done_once(tmp_path):
    folder = articles_folder(tmp_path)
    queue_env, clean_env = environment(tmp_path, "queue.sqlite3"), environment(tmp_path, "clean.sqlite3")
    queue_db, clean_db = tmp_path / "queue.sqlite3", tmp_path / "clean.sqlite3"
    for env in (queue_env, clean_env):
        manage(env, "migrate", "--noinput", "-v", "0")
    manage(clean_env, "import_articles", str(folder), "--published", "2020-08-16")
    expected = stored_extraction(clean_db)
    assert set(expected) == {f"Commerce adds {c} to the Entity List" for c in COMPANIES}

    queued = manage(queue_env, "import_articles", str(folder), "--published", "2020-08-16", "--background")
    assert "Imported 8 (extraction queued for the worker)" in queued.stdout
    assert statuses(queue_db) == Counter(queued=8)

    first = start_worker(queue_env, tmp_path / "worker-1.log")
    try:
        wait_for(lambda: statuses(queue_db)["done"] >= 2, 120, "the first worker to finish two articles")
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    at_kill = statuses(queue_db)
    assert at_kill["running"] > 0, f"the kill should land mid-batch, found {at_kill}"
    assert at_kill["done"] < 8

    second = start_worker(queue_env, tmp_path / "worker-2.log")
    try:
        wait_for(lambda: statuses(queue_db)["done"] == 8, 180, "the second worker to finish the batch")
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)

    assert statuses(queue_db) == Counter(done=8)
    assert stored_extraction(queue_db) == expected  # nothing lost, nothing stored twice
    with sqlite3.connect(f"file:{queue_db}?mode=ro", uri=True) as connection:
        attempts = Counter(a for (a,) in connection.execute("SELECT attempts FROM timeline_article"))
        orphans = connection.execute(
            "SELECT COUNT(*) FROM timeline_action a WHERE NOT EXISTS "
            "(SELECT 1 FROM timeline_mention m WHERE m.action_id = a.id)"
        ).fetchone()[0]
    # Finished before the kill: one attempt. Taken over from the dead worker: two.
    assert attempts == Counter({1: at_kill["done"], 2: 8 - at_kill["done"]})
    assert orphans == 0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_run_app_serves_pages_and_ctrl_c_stops_server_and_worker(tmp_path):
    env = environment(tmp_path, "app.sqlite3")
    manage(env, "migrate", "--noinput", "-v", "0")
    port, log_path = free_port(), tmp_path / "app.log"
    app = subprocess.Popen(
        [sys.executable, "manage.py", "run_app", "--port", str(port)],
        cwd=BASE_DIR,
        env=env,
        stdout=log_path.open("w"),
        stderr=subprocess.STDOUT,
    )
    try:

        def login_page_status() -> int | None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/admin/login/", timeout=2) as reply:
                    return reply.status
            except OSError:
                return None

        assert wait_for(login_page_status, 60, "the web server") == 200
        children = wait_for(lambda: len(kids := psutil.Process(app.pid).children()) == 2 and kids, 30, "two children")
        wait_for(lambda: "Starting worker" in log_path.read_text(), 60, "the worker to start polling")
        app.send_signal(signal.SIGINT)
        assert app.wait(timeout=30) == 0
        for child in children:
            assert not child.is_running(), child.cmdline()
        assert "Traceback" not in log_path.read_text()
    finally:
        if app.poll() is None:
            app.kill()
