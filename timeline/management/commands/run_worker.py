"""`manage.py run_worker`: return work a dead worker left behind to the queue, then
run django-tasks-db's worker loop in this process.

Start as many as you like, in separate processes: the task queue hands each task
to one worker, and the article claim (status + claimed_at) keeps two workers off
one article even when a stale task is taken over. While it runs, a watchdog
thread requeues articles whose claim went stale (their worker died).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.tasks import task_backends
from django_tasks_db.backend import DatabaseBackend

from timeline import services

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run a background extraction worker (requeues stale work first)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls of an empty queue.")
        parser.add_argument("--batch", action="store_true", help="Process what is queued, then exit.")
        parser.add_argument("--max-tasks", type=int, default=None, help="Exit after this many tasks.")
        parser.add_argument("--worker-id", default=None, help="Unique id of this worker (default: random).")
        parser.add_argument("--no-warmup", action="store_true", help="Do not load the language model before polling.")
        parser.add_argument(
            "--requeue-queued",
            action="store_true",
            help="Also enqueue every queued article again (recovery when tasks were lost; duplicates are harmless).",
        )

    def handle(self, *args, interval, batch, max_tasks, worker_id, no_warmup, requeue_queued, verbosity, **options):
        if not isinstance(task_backends["default"], DatabaseBackend):
            raise CommandError("run_worker needs the database task backend (TASKS['default'] is something else).")
        try:
            requeued = services.articles_requeue_stale()
            if requeued:
                self.stdout.write(f"Requeued {len(requeued)} article(s) a stopped worker left running.")
            if requeue_queued:
                self.stdout.write(f"Enqueued {services.articles_enqueue_waiting()} queued article(s) again.")
            if not no_warmup:
                _warm_up_pipeline()
        except KeyboardInterrupt:  # Ctrl-C while the model loads: nothing was claimed yet
            self.stdout.write("Stopped before the worker started.")
            return
        _start_watchdog()
        worker_options = {"interval": interval, "batch": batch, "reload": False, "verbosity": verbosity}
        if max_tasks:
            worker_options["max_tasks"] = max_tasks
        if worker_id:
            worker_options["worker_id"] = worker_id
        call_command("db_worker", stdout=self.stdout._out, stderr=self.stderr._out, **worker_options)


def _warm_up_pipeline() -> None:
    """Load the language model now, so the first batch does not spend its lease loading it."""
    from timeline.extraction import extract
    from timeline.gazetteer import gazetteer_current, media_names

    try:
        text = "The Commerce Department said on Friday it would act."
        extract(text, dt.date.today(), gazetteer_current(), media=media_names())
    except Exception:  # a broken pipeline shows up as failed articles, with their errors
        log.warning("Warming up the extraction pipeline failed", exc_info=True)


def _start_watchdog() -> None:
    period = min(max(services.claim_lease().total_seconds() / 2, 1.0), 60.0)
    stop = threading.Event()

    def watch() -> None:
        while not stop.wait(period):
            try:
                services.articles_requeue_stale()
            except Exception:  # a locked or unreachable database: try again next round
                log.warning("Requeueing stale articles failed", exc_info=True)
            finally:
                connection.close()  # this thread's own connection

    threading.Thread(target=watch, name="stale-claim-watchdog", daemon=True).start()
