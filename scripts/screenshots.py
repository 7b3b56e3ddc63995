"""Screenshots of the timeline, a company, an action and an article, at desktop and phone widths.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--keep]

Builds a throwaway SQLite database (DATABASE_URL points at a temporary folder), loads
the demo articles with `manage.py load_demo` when that command exists (else a small
hand-written demo built with the test factories), serves it with `runserver` on a free
local port and photographs each page with headless Chromium into PNG files.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
WIDTHS = {"desktop": 1280, "phone": 390}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def prepare_database(env: dict[str, str]) -> dict[str, str]:
    """Migrate and fill the throwaway database (in a child process that has its settings)."""
    python = str(ROOT / ".venv" / "bin" / "python")
    subprocess.run([python, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)
    if (ROOT / "timeline" / "management" / "commands" / "load_demo.py").exists():
        subprocess.run([python, "manage.py", "load_demo"], cwd=ROOT, env=env, check=True)
    else:
        subprocess.run([python, __file__, "--factory-demo"], cwd=ROOT, env=env, check=True)
    found = subprocess.run(
        [python, __file__, "--pick-pages"], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return json.loads(found.stdout.strip().splitlines()[-1])


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timeline.settings")
    import django

    django.setup()


def pick_pages() -> dict[str, str]:
    """The busiest company with subsidiaries, the most cited action, the richest article."""
    from django.db.models import Count

    from timeline.models import Action, Article, Company

    company = (
        Company.objects.annotate(n=Count("actions"), kids=Count("subsidiaries", distinct=True))
        .filter(kids__gt=0)
        .order_by("-n", "name")
        .first()
    )
    action = Action.objects.visible().annotate(n=Count("mentions")).order_by("-n", "-occurred_from").first()
    article = Article.objects.annotate(n=Count("mentions")).order_by("-n", "-published_on").first()
    pages = {"timeline": "/"}
    if company:
        pages["company"] = company.get_absolute_url()
    if action:
        pages["action"] = action.get_absolute_url()
    if article:
        pages["article"] = article.get_absolute_url()
    return pages


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server did not answer at {url}")


def photograph(base_url: str, pages: dict[str, str], out_dir: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        for device, width in WIDTHS.items():
            context = browser.new_context(
                viewport={"width": width, "height": 900}, device_scale_factor=1, is_mobile=device == "phone"
            )
            page = context.new_page()
            for name, path in pages.items():
                page.goto(base_url + path, wait_until="networkidle")
                # The first screen is what a reader sees (and what the README shows); the full page is for review.
                for suffix, full_page in (("", False), ("-full", True)):
                    target = out_dir / f"{name}-{device}{suffix}.png"
                    page.screenshot(path=str(target), full_page=full_page)
                    written.append(target)
            context.close()
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--keep", action="store_true", help="leave the temporary database in place")
    parser.add_argument("--factory-demo", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--pick-pages", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.factory_demo or args.pick_pages:  # the child steps, run with the throwaway database's settings
        setup_django()
        if args.factory_demo:
            from tests.factories import build_showcase

            build_showcase()
        else:
            print(json.dumps(pick_pages()))
        return
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: apt-get install chromium")

    workdir = Path(tempfile.mkdtemp(prefix="timeline-screens-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "DJANGO_DEBUG": "1",
        "DJANGO_MEDIA_ROOT": str(workdir / "media"),
        "DJANGO_TASKS_BACKEND": "django.tasks.backends.dummy.DummyBackend",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    pages = prepare_database(env)
    port = free_port()
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base_url = f"http://127.0.0.1:{port}"
        wait_for(base_url + "/")
        for path in photograph(base_url, pages, Path(args.out)):
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    finally:
        server.terminate()
        server.wait(timeout=10)
        if not args.keep:
            for leftover in sorted(workdir.rglob("*"), reverse=True):
                leftover.unlink() if leftover.is_file() else leftover.rmdir()
            workdir.rmdir()
        else:
            print(f"database kept in {workdir}", file=sys.stderr)


if __name__ == "__main__":
    main()
