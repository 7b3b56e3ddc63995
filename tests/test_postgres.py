"""PostgreSQL-only behaviour: ranked full-text search over a GIN index, and several
extraction workers sharing one task queue without running an article twice.

Skipped unless DATABASE_URL points at PostgreSQL (scripts/test runs the suite there too).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from timeline.fulltext import rank_search, text_search
from timeline.models import Action

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
needs_postgres = pytest.mark.skipif(not ON_POSTGRES, reason="needs DATABASE_URL=postgres://...")
SEARCH_INDEX = "action_search_fts_idx"
BASE_DIR = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
WORKER_COMMAND = [sys.executable, "manage.py", "run_worker"]


def make_action(summary: str, search_text: str, day: dt.date = dt.date(2024, 1, 10)) -> Action:
    return Action.objects.create(
        action_type=Action.Type.BAN, occurred_from=day, occurred_to=day, summary=summary, search_text=search_text
    )


# --- search -----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.skipif(ON_POSTGRES, reason="the SQLite fallback")
def test_search_is_a_substring_match_on_sqlite():
    wanted = make_action("Ban on Example Networks", "ban on example networks routers")
    make_action("Tariff on steel", "tariff on steel imports")
    for search in (text_search, rank_search):
        assert list(search(Action.objects.all(), "networks rout")) == [wanted]
        assert search(Action.objects.all(), "   ").count() == 2


def _index_definition() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [SEARCH_INDEX])
        row = cursor.fetchone()
    return row[0] if row else None


@pytest.mark.postgres
@needs_postgres
@pytest.mark.django_db
def test_migration_creates_a_gin_index_and_reverses_cleanly():
    """0003 builds a GIN index on the English tsvector of search_text; its reverse drops it."""
    from importlib import import_module

    migration = import_module("timeline.migrations.0003_postgres_search")
    definition = _index_definition()
    assert definition is not None and "USING gin" in definition
    assert "to_tsvector('english'::regconfig, COALESCE(search_text, ''::text))" in definition
    with connection.schema_editor(atomic=False) as editor:  # DDL is transactional: the test rolls it back
        migration.drop_search_index(None, editor)
        assert _index_definition() is None
        migration.create_search_index(None, editor)
    assert _index_definition() == definition


@pytest.mark.postgres
@needs_postgres
@pytest.mark.django_db
def test_rank_search_uses_the_gin_index():
    """The query's vector is the indexed expression, so the planner can use the index.

    Without an ORDER BY: with one, a tiny table is cheaper to walk along the date index."""
    for n in range(50):
        make_action(f"Statement {n}", f"routine statement number {n} about tariffs")
    make_action("Ban on Example Networks", "the ministry banned Example Networks routers")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("ANALYZE timeline_action")
    for search in (text_search, rank_search):
        plan = search(Action.objects.order_by(), "routers").explain()
        assert SEARCH_INDEX in plan, plan


@pytest.mark.postgres
@needs_postgres
@pytest.mark.django_db
def test_rank_search_stems_ranks_and_understands_web_search_syntax():
    often = make_action("Ban on Example Networks", "ban banned banning Example Networks ban", dt.date(2023, 1, 1))
    once = make_action(
        "Example Networks investigated", "inquiry into Example Networks after a ban", dt.date(2024, 1, 1)
    )
    make_action("Tariff on steel", "tariff on steel imports")
    everything = Action.objects.all()

    assert list(rank_search(everything, "bans")) == [often, once]  # stemmed, best match first
    assert list(rank_search(everything, "ban -inquiry")) == [often]
    assert rank_search(everything, '"steel imports"').count() == 1
    assert list(rank_search(everything, "nothing-like-this")) == []
    assert rank_search(everything, "  ").count() == 3


@pytest.mark.postgres
@needs_postgres
@pytest.mark.django_db
def test_rank_search_composes_with_the_timeline_filters():
    wanted = make_action("Ban on Example Networks", "ban on Example Networks", dt.date(2024, 5, 1))
    make_action("Older ban on Example Networks", "ban on Example Networks", dt.date(2020, 5, 1))
    recent = Action.objects.visible().between(dt.date(2024, 1, 1), None)
    assert list(rank_search(recent, "Example Networks ban")) == [wanted]
    assert list(text_search(recent, "Example Networks ban")) == [wanted]


@pytest.mark.postgres
@needs_postgres
@pytest.mark.django_db
def test_text_search_keeps_the_timeline_order():
    """The timeline groups by month, so its search filters without reordering."""
    old = make_action("Old ban", "ban ban ban ban", dt.date(2020, 1, 1))
    new = make_action("New ban", "a ban", dt.date(2024, 1, 1))
    assert list(text_search(Action.objects.newest_first(), "ban")) == [new, old]
    assert list(text_search(Action.objects.oldest_first(), "ban")) == [old, new]
    assert list(rank_search(Action.objects.oldest_first(), "ban")) == [old, new]  # the better match


@pytest.mark.postgres
@needs_postgres
@pytest.mark.django_db
def test_search_takes_any_user_input():
    """websearch_to_tsquery never raises on syntax; NUL (which PostgreSQL refuses) is dropped."""
    make_action("Ban", "ban on routers")
    for text in ["'", '"', "&|!:*()", "-", "or", "the", "<script>alert(1)</script>", "ban\x00", "\\", "a" * 5000]:
        for search in (text_search, rank_search):
            list(search(Action.objects.all(), text))
    assert text_search(Action.objects.all(), "ban\x00").count() == 1


# --- several workers, one queue -------------------------------------------------------------------

WORKERS = 3
ARTICLES = 12
COMPANIES = [
    "Huawei",
    "ZTE",
    "TikTok",
    "Nvidia",
    "Apple",
    "Google",
    "Meta",
    "Microsoft",
    "Alibaba",
    "Intel",
    "Amazon",
    "Tencent",
]
QUEUE_SCRIPT = """
import datetime as dt, json, sys
from timeline import services
from timeline.tasks import extract_articles
texts = json.loads(sys.stdin.read())
ids = [services.article_ingest(title=f"Worker test {n}", body=text, published_on=dt.date(2024, 3, 15)).pk
       for n, text in enumerate(texts)]
# Every article queued three times over, in overlapping batches: workers will race for each one.
for start in range(0, len(ids), 5):
    extract_articles.enqueue(article_ids=ids[start:start + 7])
extract_articles.enqueue(article_ids=list(reversed(ids)))
print(json.dumps(ids))
"""
REPORT_SCRIPT = """
import json
from django_tasks_db.models import DBTaskResult
from timeline.models import Article, Mention
articles = {a.pk: {"status": a.status, "attempts": a.attempts, "error": a.error, "text": a.extracted_text}
            for a in Article.objects.all()}
mentions = list(Mention.objects.values("article_id", "start_char", "end_char", "sentence"))
tasks = [{"status": t.status, "return_value": t.return_value, "workers": t.worker_ids} for t in DBTaskResult.objects.all()]
print(json.dumps({"articles": articles, "mentions": mentions, "tasks": tasks}))
"""


def worker_article(n: int) -> str:
    company = COMPANIES[n % len(COMPANIES)]
    return (
        f"Washington, dispatch {n}.\n\n"
        f"On March {n + 1}, 2024, the Commerce Department added {company} to the Entity List, "
        f"barring American suppliers from selling it chips. {company} has 90 days to respond.\n"
    )


def _fresh_database(name: str) -> str:
    admin_url = PG_URL.replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return PG_URL.rsplit("/", 1)[0] + "/" + name


def _drop_database(name: str) -> None:
    with psycopg.connect(PG_URL.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _manage(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, f"manage.py {args[0]}:\n{result.stdout}\n{result.stderr}"
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


@pytest.mark.postgres
@pytest.mark.slow
@needs_postgres
def test_workers_in_separate_processes_extract_each_article_exactly_once(tmp_path):
    """3 `run_worker` processes on one queue holding every article three times: each is extracted once."""
    name = f"timeline_workers_test_{os.getpid()}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DATABASE_URL=_fresh_database(name),
        DJANGO_DEBUG="1",
        DJANGO_TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
        DJANGO_LOG_LEVEL="WARNING",
        # A second per article keeps the first worker busy while the others load the model, so the
        # test shows sharing rather than one fast worker emptying the queue alone.
        TIMELINE_TEST_EXTRACT_DELAY="1",
    )
    workers: list[subprocess.Popen] = []
    try:
        _manage(env, "migrate", "--no-input", "-v", "0")
        ids = json.loads(
            _manage(env, "shell", "-c", QUEUE_SCRIPT, stdin=json.dumps([worker_article(n) for n in range(ARTICLES)]))
        )
        assert len(ids) == ARTICLES
        for n in range(WORKERS):
            log = (tmp_path / f"worker{n}.log").open("w")
            workers.append(
                subprocess.Popen(WORKER_COMMAND, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
            )
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            report = json.loads(_manage(env, "shell", "-c", REPORT_SCRIPT))
            settled = all(a["status"] in {"done", "failed"} for a in report["articles"].values())
            tasks_finished = all(t["status"] in {"SUCCESSFUL", "FAILED"} for t in report["tasks"])
            if settled and tasks_finished:
                break
            assert all(w.poll() is None for w in workers), "a worker died"
            time.sleep(2)
        else:
            pytest.fail(f"extraction did not finish in 300 s: {report['articles']}")
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
        _drop_database(name)

    logs = "\n".join(path.read_text() for path in sorted(tmp_path.glob("worker*.log")))
    articles = {int(pk): row for pk, row in report["articles"].items()}
    assert sorted(articles) == sorted(ids)
    assert {a["status"] for a in articles.values()} == {"done"}, logs[-3000:]
    assert [a["attempts"] for a in articles.values()] == [1] * ARTICLES  # claimed once each, never twice

    # The task results say who stored what: every article exactly once across all workers.
    stored = Counter(pk for task in report["tasks"] for pk in (task["return_value"] or {}).get("done", []))
    assert stored == Counter(ids)
    assert len({worker for task in report["tasks"] for worker in task["workers"]}) > 1, "only one worker did anything"

    # Each article has its own mentions, pointing into its own text, none twice.
    mentions = report["mentions"]
    assert mentions, "the extractor found nothing at all in articles written to contain a ban"
    for mention in mentions:
        text = articles[mention["article_id"]]["text"]
        assert 0 <= mention["start_char"] <= mention["end_char"] <= len(text)
        assert mention["sentence"].strip() in text
