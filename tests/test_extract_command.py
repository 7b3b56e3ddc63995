"""`manage.py extract`: the pipeline over files, printed as the JSON contract; nothing is stored."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from timeline.models import Action, Article, Company, Mention

pytestmark = pytest.mark.django_db

DEMO = Path(__file__).resolve().parent.parent / "timeline" / "demo" / "articles.jsonl"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"
# call_command hands keyword options over unparsed, so the date goes in as a date.
PUBLISHED = dt.date(2020, 8, 16)
CONTRACT_KEYS = {
    "action_type",
    "actor",
    "date_start",
    "date_end",
    "precision",
    "date_phrase",
    "targets",
    "deadlines",
    "evidence",
    "start_char",
    "end_char",
    "confidence",
    "summary",
}


@pytest.fixture
def founding_report(tmp_path) -> Path:
    record = json.loads(DEMO.read_text(encoding="utf-8").splitlines()[0])
    path = tmp_path / "founding-report.txt"
    path.write_text(record["text"], encoding="utf-8")
    return path


def counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (Article, Action, Company, Mention))


def test_json_output_follows_the_contract_and_stores_nothing(founding_report):
    before = counts()
    out = StringIO()
    call_command("extract", founding_report, published=PUBLISHED, json=True, stdout=out)

    (line,) = out.getvalue().splitlines()
    payload = json.loads(line)
    assert set(payload) == {"actions"}
    assert payload["actions"], "the founding report names several actions"
    for action in payload["actions"]:
        assert set(action) == CONTRACT_KEYS
    divestment = [a for a in payload["actions"] if a["action_type"] == "divestment_order"]
    assert any(d["date"] == "2020-11-12" for a in divestment for d in a["deadlines"])
    assert counts() == before


def test_several_paths_give_one_json_line_each(founding_report):
    html = FIXTURES / "good" / "ftc-facebook.html"
    out = StringIO()
    call_command("extract", founding_report, html, published=PUBLISHED, json=True, stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert all("actions" in json.loads(line) for line in lines)


def test_a_refused_file_is_an_error_naming_it(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf at all")
    with pytest.raises(CommandError, match=r"bad\.pdf: This is not a PDF file"):
        call_command("extract", bad, published=PUBLISHED, json=True, stdout=StringIO())
