"""`manage.py run_app [--port 8000] [--no-worker]`: the development server and an
extraction worker as one command; Ctrl-C stops both."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

MANAGE_PY = Path(settings.BASE_DIR) / "manage.py"
STOP_GRACE_SECONDS = 10


class Command(BaseCommand):
    help = "Run the web server and a background worker together (development)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--no-worker", action="store_true", help="Only the web server; extraction waits queued.")

    def handle(self, *args, port, host, no_worker, **options):
        commands = {"web server": ["runserver", "--noreload", f"{host}:{port}"]}
        if not no_worker:
            commands["worker"] = ["run_worker"]
        children = {name: subprocess.Popen([sys.executable, str(MANAGE_PY), *argv]) for name, argv in commands.items()}
        self.stdout.write(f"Serving on http://{host}:{port}/ (admin at /admin/); Ctrl-C stops everything.")
        # SIGTERM (from a process manager) stops us the way Ctrl-C does.
        signal.signal(signal.SIGTERM, _interrupt)
        exit_code = 0
        try:
            while True:
                for name, child in children.items():
                    if child.poll() is not None:
                        self.stderr.write(f"The {name} stopped (exit status {child.returncode}); stopping the rest.")
                        exit_code = child.returncode or 1
                        raise KeyboardInterrupt
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            _stop(children.values())
        if exit_code:
            sys.exit(exit_code)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _stop(children) -> None:
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGINT)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
