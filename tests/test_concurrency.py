"""A small run of the load test (loadtest/run.py): a real gunicorn server, 8 editors
uploading through the admin at once (with deliberate duplicates) and 10 readers on the
timeline. Nothing may fail, lock, be lost or be stored twice."""

from __future__ import annotations

import os

import psycopg
import pytest

from loadtest.run import parse_args, run

PG_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def postgres_reachable() -> bool:
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return True
    try:
        psycopg.connect(PG_URL.replace("postgres://", "postgresql://", 1), connect_timeout=3).close()
    except psycopg.Error:
        return False
    return True


DATABASES = [
    "sqlite",
    pytest.param(
        "postgres",
        marks=[pytest.mark.postgres, pytest.mark.skipif(not postgres_reachable(), reason="no PostgreSQL server")],
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize("db", DATABASES)
def test_concurrent_uploads_and_reads_lose_nothing(db):
    """8 uploaders × 2 articles (+4 racing duplicates) beside 10 readers: no 5xx, no lock errors, each article once."""
    args = parse_args(
        [
            f"--db={db}",
            f"--pg-url={PG_URL}",
            f"--pg-database=timeline_load_test_{os.getpid()}",
            "--uploaders=8",
            "--uploads=2",
            "--duplicates=4",
            "--readers=10",
            "--seconds=4",
            "--demo-actions=300",
        ]
    )
    figures = run(args)
    print(figures)
    assert figures["problems"] == []
    assert figures["server_errors"] == 0
    assert figures["articles_uploaded"] == 16
    assert figures["articles_stored"] == 16 and figures["articles_lost"] == 0
    assert figures["articles_stored_twice"] == 0
    assert figures["duplicates_refused"] == figures["duplicates_attempted"] == 4
    assert figures["reads"] > 10
    assert figures["ok"]
