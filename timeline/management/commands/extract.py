"""`manage.py extract PATH [PATH ...] --published YYYY-MM-DD --json`: run the
extraction pipeline over files and print what it finds. Writes nothing."""

import datetime as dt
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from timeline.documents import RefusedDocument, document_from_path
from timeline.extraction import extract_many
from timeline.gazetteer import gazetteer_current, media_names


class Command(BaseCommand):
    help = "Extract government actions from documents (.txt, .md, .html, .pdf) without saving anything."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--published", type=dt.date.fromisoformat, help="Publication date, YYYY-MM-DD.")
        parser.add_argument("--json", action="store_true", help="Print JSON (one object per line for several paths).")

    def handle(self, *args, paths, published, json: bool, **options):
        items = []
        for path in paths:
            try:
                document = document_from_path(path)
            except (OSError, RefusedDocument) as exc:
                raise CommandError(f"{path}: {exc}") from exc
            day = _as_date(published) or document.published_on
            if day is None:
                raise CommandError(f"{path}: no publication date; pass --published YYYY-MM-DD")
            items.append((document.text, day))
        results = extract_many(items, gazetteer_current(), media=media_names())
        for path, result in zip(paths, results, strict=True):
            actions = [action.as_json() for action in result.actions]
            if json:
                self.stdout.write(_dumps({"actions": actions}))
            else:
                self.stdout.write(self.style.MIGRATE_HEADING(str(path)))
                for action in actions:
                    self.stdout.write(
                        f"  {action['date_start']}..{action['date_end']} {action['action_type']}: {action['summary']}"
                    )


def _as_date(value: dt.date | str | None) -> dt.date | None:
    """`call_command` hands options over unparsed; the command line hands a date."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _dumps(payload: dict) -> str:
    return json.dumps(payload, ensure_ascii=False)
