"""The timeline at scale: request times and query counts over 100k actions, in-process.

    .venv/bin/python benchmarks/timeline_at_scale.py [--database-url URL] [--requests 30]

On a throwaway database (DATABASE_URL, default sqlite:////tmp/bench/db.sqlite3; a
postgres:// URL works too and the database is created when missing) it migrates,
fills it with `generate_demo_data` (skipped when it already holds that much), then
times the htmx fragment and the full page of `/` with Django's test Client for
typical filters: none, one popular company, a type with a date range, a text search.
Each scenario: a few warm-up requests, then `--requests` timed ones; it prints the
median, the p95 and the queries per request, then the fragment again with the page
twice as large (the query count must not grow). It explains the slowest queries
(EXPLAIN QUERY PLAN on SQLite, EXPLAIN ANALYZE on PostgreSQL) and writes the figures
to benchmarks/results/timeline_at_scale_<vendor>.json and the plans beside them.

Goals on SQLite: fragment p95 <= 50 ms without text search, <= 100 ms with it.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RESULTS_DIR = Path(__file__).resolve().parent / "results"
DEFAULT_DATABASE_URL = "sqlite:////tmp/bench/db.sqlite3"
GOAL_MS = {"plain": 50, "text": 100}
WARMUP_REQUESTS = 3
SQL_SHOWN = 1500  # characters kept per line of the plans file: id lists run long


def main(argv: list[str] | None = None) -> dict:
    args = _parser().parse_args(argv)
    _configure(args.database_url)
    from django.db import connection

    vendor = connection.vendor
    if args.conn_max_age is not None:
        connection.close()
        connection.settings_dict["CONN_MAX_AGE"] = args.conn_max_age
    print(
        f"database: {vendor} {connection.settings_dict['NAME']} (CONN_MAX_AGE={connection.settings_dict['CONN_MAX_AGE']})"
    )
    figures: dict = {
        "vendor": vendor,
        "conn_max_age": connection.settings_dict["CONN_MAX_AGE"],
        "machine": {"cpus": os.cpu_count(), "when": time.strftime("%Y-%m-%d %H:%M")},
    }
    figures["data"] = _ensure_data(args)
    scenarios = _scenarios(args.search)
    figures["scenarios"] = {}
    for name, params in scenarios.items():
        figures["scenarios"][name] = {
            kind: _measure(params, fragment=kind == "fragment", requests=args.requests) for kind in ("fragment", "page")
        }
        _report(name, figures["scenarios"][name], text_search="q" in params)
    figures["double_page_size"] = _with_double_page_size(scenarios, args.requests)
    plans = _explain_slowest(scenarios)
    figures["plans"] = {name: {k: plan[k] for k in ("indexes", "database_ms")} for name, plan in plans.items()}
    _save(figures, plans, args.results_dir, vendor)
    return figures


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL)
    parser.add_argument("--actions", type=int, default=100_000)
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--companies", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--requests", type=int, default=30, help="Timed requests per scenario and kind.")
    parser.add_argument("--search", default="huawei", help="The text search scenario's query.")
    parser.add_argument("--regenerate", action="store_true", help="Generate the data even if it is there.")
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=None,
        help="Override CONN_MAX_AGE (settings use 0 on SQLite: a new connection per request).",
    )
    parser.add_argument("--results-dir", type=Path, default=RESULTS_DIR)
    return parser


def _configure(database_url: str) -> None:
    """Point Django at the throwaway database (unless a caller, like pytest, already set it up)."""
    from django.conf import settings

    if settings.configured:
        return
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timeline.settings")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost")
    if database_url.startswith(("postgres://", "postgresql://")):
        _create_postgres_database(database_url)
    elif database_url.startswith("sqlite:///"):
        Path(urlsplit(database_url).path).parent.mkdir(parents=True, exist_ok=True)
    import django

    django.setup()


def _create_postgres_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url.replace("postgres://", "postgresql://", 1))
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _ensure_data(args) -> dict:
    """Migrate and generate, unless the database already holds at least the wanted data."""
    from django.core.management import call_command
    from django.db import connection

    from timeline.management.commands.generate_demo_data import demo_data_generate
    from timeline.models import Action, Article

    call_command("migrate", verbosity=0, interactive=False)
    held = {"actions": Action.objects.count(), "articles": Article.objects.count()}
    if not args.regenerate and held["actions"] >= args.actions and held["articles"] >= args.articles:
        print(f"data: reusing {held['actions']} actions and {held['articles']} articles already there")
        return {**held, "generated_seconds": None}
    counts = demo_data_generate(
        actions=args.actions, articles=args.articles, companies=args.companies, seed=args.seed, clear=True
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # fresh tables have no statistics until autovacuum comes round
            cursor.execute("ANALYZE")
    print(
        f"data: generated {counts.actions} actions, {counts.articles} articles, {counts.mentions} mentions "
        f"in {counts.seconds:.1f} s"
    )
    return {"actions": counts.actions, "articles": counts.articles, "generated_seconds": round(counts.seconds, 1)}


def _scenarios(search: str) -> dict[str, dict]:
    from django.db.models import Count

    from timeline.models import Action, Company

    popular = Company.objects.annotate(n=Count("actions")).order_by("-n", "id").first()
    busiest_type = (
        Action.objects.values("action_type")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("action_type", flat=True)
    ).first()
    return {
        "no filter": {},
        f"company {popular.slug}": {"company": popular.slug},
        f"type {busiest_type} 2019-2020": {"type": busiest_type, "from": "2019-01-01", "to": "2020-12-31"},
        f"text search q={search}": {"q": search},
    }


def _measure(params: dict, *, fragment: bool, requests: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    headers = {"HX-Request": "true", "HX-Target": "results"} if fragment else {}
    url = "/?" + urlencode(params, doseq=True)
    for _ in range(WARMUP_REQUESTS):
        _get(client, url, headers)
    timings, cpu_timings = [], []
    for _ in range(requests):
        started, cpu_started = time.perf_counter(), time.process_time()
        _get(client, url, headers)
        timings.append((time.perf_counter() - started) * 1000)
        cpu_timings.append((time.process_time() - cpu_started) * 1000)
    with CaptureQueriesContext(connection) as captured:  # counted apart so logging does not slow the timed ones
        _get(client, url, headers)
    timings.sort()
    return {
        "url": url,
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[max(math.ceil(0.95 * len(timings)) - 1, 0)], 1),
        # this process's CPU only: SQLite's work, not a PostgreSQL server's; steadier on a busy machine
        "cpu_median_ms": round(statistics.median(cpu_timings), 1),
        "queries": len(captured.captured_queries),
        "sql": [q["sql"] for q in captured.captured_queries],
    }


def _get(client, url: str, headers: dict):
    response = client.get(url, headers=headers)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    return response


def _report(name: str, results: dict, *, text_search: bool) -> None:
    goal = GOAL_MS["text" if text_search else "plain"]
    for kind, figures in results.items():
        verdict = ""
        if kind == "fragment":
            verdict = f"  (goal p95 <= {goal} ms: {'met' if figures['p95_ms'] <= goal else 'NOT met'})"
        print(
            f"{name:<34} {kind:<8} median {figures['median_ms']:7.1f} ms  p95 {figures['p95_ms']:7.1f} ms  "
            f"queries {figures['queries']:3d}  (CPU median {figures['cpu_median_ms']:.1f} ms){verdict}"
        )


def _with_double_page_size(scenarios: dict[str, dict], requests: int) -> dict:
    from timeline import views

    normal = views.PAGE_SIZE
    views.PAGE_SIZE = normal * 2
    try:
        doubled = {}
        for name, params in scenarios.items():
            figures = _measure(params, fragment=True, requests=requests)
            doubled[name] = {k: figures[k] for k in ("median_ms", "p95_ms", "queries")}
            print(
                f"{name:<34} fragment, page size {views.PAGE_SIZE}: median {figures['median_ms']:7.1f} ms  "
                f"p95 {figures['p95_ms']:7.1f} ms  queries {figures['queries']:3d}"
            )
    finally:
        views.PAGE_SIZE = normal
    return doubled


def _explain_slowest(scenarios: dict[str, dict], per_scenario: int = 4) -> dict[str, dict]:
    """Each scenario's queries timed again with their rows fetched, and the page's slowest explained.

    Django's own query timer stops when `execute` returns, but SQLite does most of its
    work while the rows are fetched: these timings include the fetch. The full page
    runs the fragment's queries plus its own, so its slowest ones are the ones to read.
    """
    from django.db import connection

    plans = {}
    for name, params in scenarios.items():
        database_ms = {}
        for kind in ("fragment", "page"):
            figures = _measure(params, fragment=kind == "fragment", requests=1)
            timed = sorted(((_fetch_ms(sql), sql) for sql in figures["sql"]), reverse=True)
            database_ms[kind] = round(sum(ms for ms, _ in timed), 1)
        explained = []
        for milliseconds, sql in timed[:per_scenario]:
            prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS) "
            with connection.cursor() as cursor:
                cursor.execute(prefix + sql)
                rows = cursor.fetchall()
            plan = "\n".join(" ".join(str(cell) for cell in row) for row in rows)
            explained.append({"ms": round(milliseconds, 1), "sql": sql, "plan": plan})
        used = sorted({index for item in explained for index in _indexes_in(item["plan"])})
        plans[name] = {"queries": explained, "indexes": used, "database_ms": database_ms}
        print(
            f"{name:<34} time in the database: fragment {database_ms['fragment']:.1f} ms, page {database_ms['page']:.1f} ms; "
            f"the page's slowest queries use: {', '.join(used) or 'no index'}"
        )
    return plans


def _fetch_ms(sql: str, repeats: int = 3) -> float:
    from django.db import connection

    best = math.inf
    for _ in range(repeats):
        with connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute(sql)
            cursor.fetchall()
            best = min(best, (time.perf_counter() - started) * 1000)
    return best


def _indexes_in(plan: str) -> list[str]:
    """Index names, plus "full scan of <table>" where a table is read without one."""
    used = re.findall(
        r"USING (?:COVERING )?INDEX (\w+)|Index (?:Only )?Scan(?: Backward)? using (\w+)|Bitmap Index Scan on (\w+)",
        plan,
    )
    scans = re.findall(r"\bSCAN (\w+)\b(?! USING)|Seq Scan on (\w+)", plan)
    return [name for groups in used for name in groups if name] + [
        f"full scan of {name}" for groups in scans for name in groups if name
    ]


def _save(figures: dict, plans: dict, directory: Path, vendor: str) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for scenario in figures["scenarios"].values():
        for kind in scenario.values():
            kind.pop("sql", None)
    suffix = vendor if not figures["conn_max_age"] or vendor != "sqlite" else f"{vendor}_persistent"
    (directory / f"timeline_at_scale_{suffix}.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    lines = []
    for name, plan in plans.items():
        lines.append(f"## {name}\n")
        for query in plan["queries"]:
            sql, plan = _shortened(query["sql"]), "\n".join(map(_shortened, query["plan"].splitlines()))
            lines.append(f"-- {query['ms']} ms\n{sql}\n{plan}\n")
    (directory / f"query_plans_{suffix}.txt").write_text("\n".join(lines), encoding="utf-8")
    print(f"figures written to {directory / f'timeline_at_scale_{suffix}.json'}")


def _shortened(line: str) -> str:
    return line if len(line) <= SQL_SHOWN else line[:SQL_SHOWN] + " …"


if __name__ == "__main__":
    sys.stdout.reconfigure(line_buffering=True)  # figures appear as they are measured, even when piped
    main()
