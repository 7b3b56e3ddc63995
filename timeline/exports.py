"""The current filter's actions as CSV or JSON, streamed so a large export never sits in memory.

Both take the same query parameters as the timeline page (timeline.filters.ActionFilter).
CSV cells that a spreadsheet would read as a formula are neutralized with a leading `'`.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator

from django.http import HttpRequest, StreamingHttpResponse
from django.views.decorators.http import require_GET

from timeline.filters import ActionFilter
from timeline.models import Action
from timeline.templatetags.timeline_display import independent_sources, outside_url, window_label

CHUNK_SIZE = 500
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = [
    "id",
    "date",
    "occurred_from",
    "occurred_to",
    "precision",
    "type",
    "actor",
    "targets",
    "summary",
    "review_state",
    "deadlines",
    "sources",
    "evidence",
    "url",
]


def neutralize_cell(value: object) -> str:
    """A cell a spreadsheet shows as text, never evaluates (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def action_record(action: Action, request: HttpRequest) -> dict:
    """Everything the timeline shows about one action, as plain data."""
    mentions = list(action.mentions.all())
    return {
        "id": action.pk,
        "url": request.build_absolute_uri(action.get_absolute_url()),
        "date": window_label(action.occurred_from, action.occurred_to),
        "occurred_from": action.occurred_from.isoformat(),
        "occurred_to": action.occurred_to.isoformat(),
        "precision": action.precision,
        "type": action.action_type,
        "actor": action.actor_label,
        "actor_slug": action.actor.slug if action.actor else None,
        "targets": [{"slug": c.slug, "name": c.name} for c in action.targets.all()],
        "summary": action.summary,
        "review_state": action.review_state,
        "deadlines": [
            {"due_on": d.due_on.isoformat(), "what": d.what, "derivation": d.derivation} for d in action.deadlines.all()
        ],
        "sources": independent_sources(mentions),
        "evidence": [
            {
                "sentence": m.sentence,
                "date_phrase": m.date_phrase,
                "article_id": m.article_id,
                "article_title": m.article.title,
                "source": m.article.source_name,
                "published_on": m.article.published_on.isoformat(),
                "article_url": outside_url(m.article.url) or None,
            }
            for m in mentions
        ],
    }


def filtered_records(request: HttpRequest) -> Iterator[dict]:
    actions = ActionFilter(request.GET).qs.for_listing()
    for action in actions.iterator(chunk_size=CHUNK_SIZE):
        yield action_record(action, request)


def csv_row(record: dict) -> list[str]:
    deadlines = "; ".join(
        f"{d['due_on']} {d['what']}".strip() + (f" ({d['derivation']})" if d["derivation"] else "")
        for d in record["deadlines"]
    )
    evidence = record["evidence"][0]["sentence"] if record["evidence"] else ""
    row = {
        **record,
        "targets": "; ".join(t["name"] for t in record["targets"]),
        "deadlines": deadlines,
        "evidence": evidence,
    }
    return [neutralize_cell(row[column]) for column in CSV_COLUMNS]


class _Echo:
    """A file-like object csv.writer can write to, handing each line straight back."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(request: HttpRequest) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so spreadsheet programs read the file as UTF-8
    yield writer.writerow(CSV_COLUMNS)
    for record in filtered_records(request):
        yield writer.writerow(csv_row(record))


def _json_chunks(request: HttpRequest) -> Iterator[str]:
    yield '{"actions": ['
    for index, record in enumerate(filtered_records(request)):
        yield ("," if index else "") + "\n" + json.dumps(record, ensure_ascii=False)
    yield "\n]}\n"


@require_GET
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_csv_lines(request), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="actions.csv"'
    return response


@require_GET
def export_json(request: HttpRequest) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_json_chunks(request), content_type="application/json")
    response["Content-Disposition"] = 'inline; filename="actions.json"'
    return response
