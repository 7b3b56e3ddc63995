"""`manage.py import_articles PATH [PATH ...] [--published YYYY-MM-DD] [--source NAME] [--background]`

Imports files (.txt, .md, .html, .pdf), folders of them (recursively) and
collections (.jsonl, .csv) whose records carry title, url, published, source and
text. Bad items are reported with their file name (and record number) and
skipped; duplicates are skipped. Extraction runs here in batches with a progress
bar, or with --background goes to the worker queue. Exit status 1 when any item
was refused or failed extraction.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from timeline import services, tasks
from timeline.documents import SUPPORTED_SUFFIXES, Document, RefusedDocument, document_from_path, document_from_text
from timeline.models import Article

COLLECTION_SUFFIXES = (".jsonl", ".csv")


@dataclass
class Item:
    """One article to import: where it came from, and its document or why it was refused."""

    label: str
    document: Document | None = None
    refused: str = ""
    title: str = ""
    url: str = ""
    published_on: dt.date | None = None
    source_name: str = ""
    keep_original: bool = False


@dataclass
class Tally:
    imported: int = 0
    duplicates: int = 0
    refused: int = 0
    failed: int = 0
    actions: int = 0


class Command(BaseCommand):
    help = "Import articles from files, folders, .jsonl or .csv collections, and extract their actions."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument(
            "--published", type=dt.date.fromisoformat, help="Publication date, YYYY-MM-DD, for items without one."
        )
        parser.add_argument("--source", default="", help="Source name for items without one.")
        parser.add_argument("--background", action="store_true", help="Only queue the extraction for the worker.")
        parser.add_argument("--batch-size", type=int, default=services.ENQUEUE_BATCH_SIZE, help="Articles per batch.")

    def handle(self, *args, paths, published, source, background, batch_size, **options):
        if isinstance(published, str):  # call_command passes keyword options unparsed
            published = dt.date.fromisoformat(published)
        tally = Tally()
        new_ids: list[int] = []
        for item in _items(paths):
            article = self._ingest(item, published, source, tally)
            if article is not None:
                new_ids.append(article.pk)
        if background:
            services.articles_enqueue_extraction(articles=Article.objects.filter(pk__in=new_ids))
        elif new_ids:
            self._extract(new_ids, max(1, batch_size), tally, show_progress=options["verbosity"] > 0)
        queued = " (extraction queued for the worker)" if background and new_ids else ""
        self.stdout.write(
            f"Imported {tally.imported}{queued}, duplicates {tally.duplicates}, refused {tally.refused}, "
            f"extraction failed {tally.failed}, actions found {tally.actions}."
        )
        if tally.refused or tally.failed:
            raise CommandError(f"{tally.refused} refused, {tally.failed} failed; see the messages above.", returncode=1)

    def _ingest(self, item: Item, published: dt.date | None, source: str, tally: Tally) -> Article | None:
        if item.document is None:
            return self._refuse(item.label, item.refused, tally)
        published_on = item.published_on or item.document.published_on or published
        if published_on is None:
            return self._refuse(item.label, "no publication date; pass --published YYYY-MM-DD", tally)
        try:
            article = services.article_ingest(
                title=item.title or item.document.title,
                body=item.document.text,
                published_on=published_on,
                source_name=item.source_name or item.document.source_name or source,
                url=item.url or item.document.url,
                original_name=item.document.filename,
                original_bytes=item.document.raw if item.keep_original else None,
                enqueue=False,
            )
        except services.DuplicateArticle as exc:
            tally.duplicates += 1
            self.stderr.write(f"{item.label}: skipped, duplicate of article #{exc.existing.pk} ({exc.existing.title})")
            return None
        tally.imported += 1
        return article

    def _refuse(self, label: str, reason: str, tally: Tally) -> None:
        tally.refused += 1
        self.stderr.write(self.style.ERROR(f"{label}: refused: {reason}"))

    def _extract(self, article_ids: list[int], batch_size: int, tally: Tally, *, show_progress: bool) -> None:
        """Extract here, batch by batch, retrying failures as the worker would."""
        titles = dict(Article.objects.filter(pk__in=article_ids).values_list("pk", "title"))
        # Shown in logs too (not only on a terminal): a long import should say how far it got.
        bar = tqdm(
            total=len(article_ids), unit="article", desc="Extracting", file=sys.stderr, disable=not show_progress
        )

        def settled(article: Article, verdict: str) -> None:
            if verdict != "retry":
                bar.update(1)
            if verdict == "failed":
                tally.failed += 1
                error = Article.objects.filter(pk=article.pk).values_list("error", flat=True).first()
                bar.write(f"#{article.pk} {titles[article.pk]}: extraction failed: {error}", file=sys.stderr)

        with bar:
            for start in range(0, len(article_ids), batch_size):
                pending = article_ids[start : start + batch_size]
                for _attempt in range(services.MAX_ATTEMPTS):
                    outcome = tasks.extract_batch(pending, on_article=settled)
                    tally.actions += outcome.actions_found
                    pending = outcome.retry
                    if not pending:
                        break


def _items(paths: list[Path]) -> Iterator[Item]:
    for path in paths:
        if path.is_dir():
            for found in sorted(p for p in path.rglob("*") if p.is_file()):
                hidden = any(part.startswith(".") for part in found.relative_to(path).parts)
                if not hidden and found.suffix.lower() in (*SUPPORTED_SUFFIXES, *COLLECTION_SUFFIXES):
                    yield from _items_of_file(found)
        elif path.exists():
            yield from _items_of_file(path)
        else:
            yield Item(label=str(path), refused="no such file or folder")


def _items_of_file(path: Path) -> Iterator[Item]:
    suffix = path.suffix.lower()
    if suffix in COLLECTION_SUFFIXES:
        yield from (_jsonl_records if suffix == ".jsonl" else _csv_records)(path)
        return
    try:
        yield Item(label=str(path), document=document_from_path(path), keep_original=True)
    except RefusedDocument as exc:
        yield Item(label=str(path), refused=str(exc))
    except OSError as exc:
        yield Item(label=str(path), refused=f"cannot read it ({exc.strerror or exc})")


def _jsonl_records(path: Path) -> Iterator[Item]:
    try:
        with path.open(encoding="utf-8-sig", errors="strict") as lines:
            for number, line in enumerate(lines, 1):
                if not line.strip():
                    continue
                label = f"{path} line {number}"
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    yield Item(label=label, refused=f"not valid JSON ({exc.msg})")
                    continue
                yield _record_item(label, record)
    except UnicodeDecodeError:
        yield Item(label=str(path), refused="a .jsonl file must be UTF-8")
    except OSError as exc:
        yield Item(label=str(path), refused=f"cannot read it ({exc.strerror or exc})")


def _csv_records(path: Path) -> Iterator[Item]:
    csv.field_size_limit(settings.ARTICLE_MAX_BYTES * 2)
    try:
        with path.open(encoding="utf-8-sig", errors="strict", newline="") as rows:
            reader = csv.DictReader(rows)
            if not reader.fieldnames or "text" not in [name.strip().lower() for name in reader.fieldnames]:
                yield Item(label=str(path), refused="a .csv file needs a header row with a 'text' column")
                return
            for number, row in enumerate(reader, 1):
                record = {(key or "").strip().lower(): value for key, value in row.items()}
                yield _record_item(f"{path} record {number}", record)
    except UnicodeDecodeError:
        yield Item(label=str(path), refused="a .csv file must be UTF-8")
    except csv.Error as exc:
        yield Item(label=str(path), refused=f"not a readable CSV file ({exc})")
    except OSError as exc:
        yield Item(label=str(path), refused=f"cannot read it ({exc.strerror or exc})")


def _record_item(label: str, record) -> Item:
    if not isinstance(record, dict):
        return Item(label=label, refused="each record must be an object with a 'text' field")
    text = record.get("text")
    if not isinstance(text, str):
        return Item(label=label, refused="the record has no 'text'")
    published_on = None
    if raw_date := str(record.get("published") or "").strip():
        try:
            published_on = dt.date.fromisoformat(raw_date[:10])
        except ValueError:
            return Item(label=label, refused=f"'published' must be a date, YYYY-MM-DD (got {raw_date[:40]!r})")
    try:
        document = document_from_text(text)
    except RefusedDocument as exc:
        return Item(label=label, refused=str(exc))
    return Item(
        label=label,
        document=document,
        title=str(record.get("title") or "").strip(),
        url=str(record.get("url") or "").strip(),
        published_on=published_on,
        source_name=str(record.get("source") or "").strip(),
    )
