"""Load test: a real gunicorn server over a fresh database, editors uploading articles
through the admin while readers browse the timeline, then a count of what was stored.

    .venv/bin/python loadtest/run.py --db sqlite --uploaders 8 --uploads 5 --readers 50 --seconds 30

Passes (exit 0) when no response was a 5xx, nothing said "database is locked" (in a
response or the server log), every distinct article is stored exactly once and every
deliberate duplicate was refused. Extraction does not run inside the server: the tasks
go to the database queue, and stay there unless --worker starts `manage.py run_worker`
beside the server. See loadtest/README.md for figures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from loadtest.client import Browser, Reply, csrf_token  # noqa: E402

PASSWORD = "load-test-password-7f3a"
DUPLICATE_REFUSAL = "is already stored as"
LOCKED = "database is locked"
FEED_SHARE = 0.05  # of reads that fetch an export or a feed rather than a page
COMPANIES = ["Huawei", "TikTok", "ByteDance", "ZTE", "Apple", "Google", "Meta", "Microsoft", "Nvidia", "Alibaba"]
VERBS = ["banned", "sanctioned", "opened an investigation into", "fined", "sued", "ordered the divestment of"]
ACTORS = ["the Commerce Department", "the European Commission", "the Federal Trade Commission", "President Biden"]


@dataclass
class Figures:
    """What happened, recorded from many threads at once."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[str, list[float]] = field(default_factory=lambda: {"read": [], "upload": []})
    by_path: dict[str, list[float]] = field(default_factory=dict)
    statuses: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    uploads_stored: list[str] = field(default_factory=list)  # article keys the server accepted
    duplicates_refused: list[str] = field(default_factory=list)

    def record(self, kind: str, path: str, reply: Reply) -> None:
        with self.lock:
            self.latencies[kind].append(reply.seconds)
            self.by_path.setdefault(path, []).append(reply.seconds)
            self.statuses[reply.status] += 1
            if reply.status >= 500:
                self.problems.append(f"{reply.status} on {path}")
            if LOCKED in reply.body:
                self.problems.append(f"'{LOCKED}' in the response to {path}")

    def problem(self, text: str) -> None:
        with self.lock:
            self.problems.append(text)


def article_text(key: str, rng: random.Random) -> str:
    company, verb, actor = rng.choice(COMPANIES), rng.choice(VERBS), rng.choice(ACTORS)
    return (
        f"Load test dispatch {key}\n\n"
        f"On Friday {actor} {verb} {company}, officials said. "
        f"The order gives {company} 90 days to comply. Reference {key}-{rng.getrandbits(64):x}.\n"
    )


@dataclass(frozen=True)
class Upload:
    key: str
    text: str
    duplicate: bool = False  # the same text as another upload, sent deliberately


def plan_uploads(uploaders: int, per_uploader: int, duplicates: int, seed: int) -> list[list[Upload]]:
    """Each uploader's uploads; `duplicates` texts are sent again by another uploader, at the same moment."""
    rng = random.Random(seed)
    plans = [
        [Upload(f"u{u}-a{i}", article_text(f"u{u}-a{i}", rng)) for i in range(per_uploader)] for u in range(uploaders)
    ]
    for d in range(duplicates):
        original = plans[d % uploaders][d // uploaders % per_uploader]
        # The same article in other case and spacing (the fingerprint folds both), sent at the
        # same position in another uploader's list so the two race.
        again = Upload(original.key, "  " + original.text.upper().replace(" ", "  "), duplicate=True)
        plans[(d + uploaders // 2) % uploaders].insert(d // uploaders % per_uploader, again)
    return plans


def uploader(base_url: str, username: str, plan: list[Upload], figures: Figures, rng: random.Random) -> None:
    browser = Browser(base_url)
    reply = browser.login(username, PASSWORD)
    if reply.status != 302:
        figures.problem(f"{username} could not log in: {reply.status}")
        return
    for number, upload in enumerate(plan):
        key = upload.key
        form = browser.get("/admin/timeline/article/add/")
        figures.record("upload", "GET add form", form)
        fields = {
            "csrfmiddlewaretoken": csrf_token(form.body),
            "title": f"Load test {key}",
            "source_name": "Load Test Wire",
            "published_on": "2024-03-15",
        }
        files = None
        if number % 2:  # every other upload is a file rather than pasted text
            files = {"files": (f"{key}.txt", upload.text.encode(), "text/plain")}
        else:
            fields["text"] = upload.text
        reply = browser.post("/admin/timeline/article/add/", fields, files)
        figures.record("upload", "POST add form", reply)
        if reply.status == 302 and "/admin/timeline/article/" in reply.location:
            with figures.lock:
                figures.uploads_stored.append(key)
        elif reply.status == 200 and DUPLICATE_REFUSAL in reply.body:
            with figures.lock:
                figures.duplicates_refused.append(key)
        else:
            if reply.status < 500:
                figures.problem(f"upload {key} by {username}: {reply.status} {reply.location} {reply.body[:300]!r}")
        time.sleep(rng.uniform(0, 0.05))


def reader(
    base_url: str, paths: dict[str, list[str]], stop: threading.Event, figures: Figures, rng: random.Random
) -> None:
    """Browse the timeline; now and then fetch a whole export or feed (those are heavy and rarer)."""
    browser = Browser(base_url)
    while not stop.is_set():
        heavy = rng.random() < FEED_SHARE
        path = rng.choice(paths["feeds" if heavy else "pages"])
        fragment = not heavy and rng.random() < 0.5
        headers = {"HX-Request": "true"} if fragment else {}
        if fragment and "page=" in path:
            headers["HX-Target"] = "load-more"  # the "more" button appends the next page
        reply = browser.get(path, headers)
        figures.record("read", path, reply)
        if reply.status != 200 and reply.status < 500:
            figures.problem(f"GET {path}{' (htmx)' if fragment else ''}: {reply.status}")


def reader_paths(company_slugs: list[str]) -> dict[str, list[str]]:
    pages = ["/", "/?order=oldest", "/?type=ban", "/?type=sanction&type=investigation", "/?q=ban", "/?deadline=1"]
    pages += ["/?from=2020-01-01&to=2024-12-31", "/?page=2", "/?review=confirmed"]
    pages += [f"/?company={slug}&subsidiaries=1" for slug in company_slugs[:5]]
    pages += [f"/companies/{slug}/" for slug in company_slugs[:3]]
    feeds = [
        "/export.csv?type=ban",
        "/export.json?company=" + (company_slugs or [""])[0],
        "/feeds/actions/",
        "/deadlines.ics",
    ]
    return {"pages": pages, "feeds": feeds}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare_database(args, workdir: Path) -> str:
    if args.db == "sqlite":
        return f"sqlite:///{workdir / 'load.sqlite3'}"
    import psycopg

    admin_url = args.pg_url.replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.pg_database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{args.pg_database}"')
    return args.pg_url.rsplit("/", 1)[0] + "/" + args.pg_database


def drop_database(args) -> None:
    if args.db == "postgres" and not args.keep:
        import psycopg

        with psycopg.connect(args.pg_url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{args.pg_database}" WITH (FORCE)')


def server_env(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return {
        **env,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "loadtest.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "load-test-" + os.urandom(24).hex(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_HSTS_SECONDS": "0",
        "DJANGO_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "DJANGO_LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=600
    )
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def setup_site(env: dict[str, str], usernames: list[str], demo_actions: int) -> tuple[list[str], int]:
    """Migrate, fill the timeline with demo data, create the editors.

    Returns the slugs of the most targeted companies (for the readers' filters) and
    how many articles the demo data holds (so they are not counted as uploads).
    """
    manage(env, "migrate", "--no-input", "-v", "0")
    if demo_actions:
        manage(env, "generate_demo_data", f"--actions={demo_actions}", f"--articles={max(1, demo_actions // 5)}")
    script = (
        "from django.contrib.auth import get_user_model; from django.db.models import Count\n"
        "from timeline.models import Article, Company; import json\n"
        f"for name in {usernames!r}:\n"
        f"    get_user_model().objects.create_superuser(name, name + '@example.com', {PASSWORD!r})\n"
        "top = Company.objects.annotate(n=Count('actions')).order_by('-n', 'name').values_list('slug', flat=True)[:20]\n"
        "print(json.dumps({'slugs': list(top), 'articles': Article.objects.count()}))"
    )
    site = json.loads(manage(env, "shell", "-c", script).strip().splitlines()[-1])
    return site["slugs"], site["articles"]


def start_server(env: dict[str, str], port: int, log_path: Path, args) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "gunicorn", "timeline.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers), "--threads", str(args.threads),
        "--timeout", "120", "--graceful-timeout", "5",
    ]  # fmt: skip
    log = log_path.open("w")
    server = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited early:\n{log_path.read_text()}")
        try:
            if Browser(f"http://127.0.0.1:{port}", timeout=5).get("/admin/login/").status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.3)
    server.terminate()
    raise RuntimeError("gunicorn did not answer within 60 s")


def stop(process: subprocess.Popen | None) -> None:
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


STORED_COUNTS_SCRIPT = """
import json, sys
from django.db.models import Count
from timeline.models import Article
from timeline.services import text_fingerprint
expected = json.loads(sys.stdin.read())
counts = {key: Article.objects.filter(content_hash=text_fingerprint(text)).count() for key, text in expected.items()}
statuses = dict(Article.objects.order_by().values_list("status").annotate(n=Count("id")))
print(json.dumps({"counts": counts, "total": Article.objects.count(), "statuses": statuses}))
"""


def stored_counts(env: dict[str, str], plans: list[list[Upload]]) -> dict:
    """Ask the database how many rows each distinct article has, by the service's own fingerprint."""
    expected = {upload.key: upload.text for plan in plans for upload in plan if not upload.duplicate}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", STORED_COUNTS_SCRIPT],
        cwd=BASE_DIR, env=env, input=json.dumps(expected), capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    if result.returncode:
        raise RuntimeError(result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def run(args) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="timeline-load-"))
    database_url = prepare_database(args, workdir)
    env = server_env(database_url)
    env["DJANGO_MEDIA_ROOT"] = str(workdir / "media")
    usernames = [f"editor{n}" for n in range(args.uploaders)]
    slugs, demo_articles = setup_site(env, usernames, args.demo_actions)
    plans = plan_uploads(args.uploaders, args.uploads, args.duplicates, args.seed)
    port = free_port()
    log_path = workdir / "server.log"
    server = worker = None
    figures = Figures()
    try:
        server = start_server(env, port, log_path, args)
        if args.worker:
            worker_log = (workdir / "worker.log").open("w")
            worker = subprocess.Popen(
                [sys.executable, "manage.py", "run_worker"],
                cwd=BASE_DIR,
                env=env,
                stdout=worker_log,
                stderr=subprocess.STDOUT,
            )
        base_url = f"http://127.0.0.1:{port}"
        stop_readers = threading.Event()
        paths = reader_paths(slugs)
        rng = random.Random(args.seed)
        readers = [
            threading.Thread(target=reader, args=(base_url, paths, stop_readers, figures, random.Random(rng.random())))
            for _ in range(args.readers)
        ]
        uploaders = [
            threading.Thread(target=uploader, args=(base_url, name, plan, figures, random.Random(rng.random())))
            for name, plan in zip(usernames, plans, strict=True)
        ]
        started = time.monotonic()
        for thread in readers + uploaders:
            thread.start()
        for thread in uploaders:
            thread.join()
        uploads_done = time.monotonic() - started
        time.sleep(max(0.0, args.seconds - uploads_done))
        stop_readers.set()
        for thread in readers:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        stop(worker)
        stop(server)
    for log_file in (log_path, workdir / "worker.log"):
        log_text = log_file.read_text(errors="replace") if log_file.exists() else ""
        if LOCKED in log_text:
            figures.problem(f"'{LOCKED}' in {log_file.name}")
        if "Traceback" in log_text:
            figures.problem(f"a traceback in {log_file.name}:\n" + log_text[log_text.index("Traceback") :][:2000])
    database = stored_counts(env, plans)
    drop_database(args)
    if not figures.problems and not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)

    distinct = len(database["counts"])
    duplicate_attempts = sum(1 for plan in plans for upload in plan if upload.duplicate)
    stored_once = sum(1 for n in database["counts"].values() if n == 1)
    lost = sum(1 for n in database["counts"].values() if n == 0)
    doubled = sum(1 for n in database["counts"].values() if n > 1)
    if lost or doubled:
        figures.problem(f"{lost} articles lost and {doubled} stored more than once")
    if database["total"] - demo_articles != distinct:
        figures.problem(
            f"{database['total'] - demo_articles} articles added to the database, {distinct} distinct uploaded"
        )
    if len(figures.duplicates_refused) != duplicate_attempts:
        figures.problem(f"{len(figures.duplicates_refused)} duplicates refused of {duplicate_attempts} attempted")
    reads, uploads = figures.latencies["read"], figures.latencies["upload"]
    return {
        "db": args.db,
        "demo_actions": args.demo_actions,
        "seconds": round(elapsed, 1),
        "requests": len(reads) + len(uploads),
        "requests_per_second": round((len(reads) + len(uploads)) / elapsed, 1),
        "reads": len(reads),
        "read_p50_ms": round(percentile(reads, 0.50) * 1000),
        "read_p95_ms": round(percentile(reads, 0.95) * 1000),
        "upload_requests": len(uploads),
        "upload_p50_ms": round(percentile(uploads, 0.50) * 1000),
        "upload_p95_ms": round(percentile(uploads, 0.95) * 1000),
        "slowest_paths_p50_ms": {
            path: round(statistics.median(times) * 1000)
            for path, times in sorted(figures.by_path.items(), key=lambda item: -statistics.median(item[1]))[:6]
        },
        "statuses": {str(k): v for k, v in sorted(figures.statuses.items())},
        "server_errors": sum(v for k, v in figures.statuses.items() if k >= 500),
        "articles_uploaded": distinct,
        "articles_stored": stored_once,
        "articles_lost": lost,
        "articles_stored_twice": doubled,
        "duplicates_attempted": duplicate_attempts,
        "duplicates_refused": len(figures.duplicates_refused),
        "article_statuses": database["statuses"],
        "problems": figures.problems,
        "workdir": str(workdir),
        "ok": not figures.problems,
    }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--pg-url",
        default="postgres://postgres@127.0.0.1:5432/postgres",
        help="a database to connect to while creating the load test's own",
    )
    parser.add_argument("--pg-database", default="timeline_load")
    parser.add_argument("--uploaders", type=int, default=8)
    parser.add_argument("--uploads", type=int, default=5, help="distinct articles per uploader")
    parser.add_argument("--duplicates", type=int, default=4, help="articles uploaded a second time by another uploader")
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30, help="readers keep reading at least this long")
    parser.add_argument("--demo-actions", type=int, default=5000, help="demo actions on the timeline before the run")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--worker", action="store_true", help="also run `manage.py run_worker` (extraction) meanwhile")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database afterwards")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    figures = run(args)
    if args.json:
        print(json.dumps(figures))
    else:
        for name, value in figures.items():
            if name not in {"problems", "workdir"}:
                print(f"{name:>22}: {value}")
        for problem, times in Counter(figures["problems"]).most_common(20):
            print(f"PROBLEM ({times}x): {problem}")
        if figures["problems"]:
            print(f"server log and database: {figures['workdir']}")
    return 0 if figures["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
