"""`manage.py load_demo`: import the demo articles in timeline/demo/ and extract
them here, so a first run shows a populated timeline. Running it again skips
what is already stored."""

from __future__ import annotations

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand

DEMO_ARTICLES = Path(__file__).resolve().parents[2] / "demo" / "articles.jsonl"


class Command(BaseCommand):
    help = "Load a handful of real news and government texts (timeline/demo/) and extract their actions."

    def handle(self, *args, **options):
        call_command("import_articles", str(DEMO_ARTICLES), stdout=self.stdout._out, stderr=self.stderr._out)
