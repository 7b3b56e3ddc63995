"""Fuzzing the ways text gets in: whatever the bytes, nothing crashes and nothing is half-saved.

- documents.document_from_bytes returns a Document or raises RefusedDocument, nothing else;
- the extraction pipeline never raises and its offsets point into the text it returns;
- the admin upload never answers 500 and leaves a complete Article or none;
- `manage.py import_articles` never dies of an unhandled exception (exit code 0 or 1).

Example counts are modest so CI stays quick; each test prints how many examples it ran
(run with -s or -rA to see them) and fails if hypothesis ran suspiciously few.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
import tempfile
import zlib
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline.documents import Document, RefusedDocument, document_from_bytes

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Each admin upload or import is a request or a command with database writes: fewer examples.
FUZZ_SLOW = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
MIN_EXAMPLES = 20  # fewer means the strategies are rejecting their own input


class ExampleCounter:
    """Counts the examples a property saw, so the figure can be reported."""

    def __init__(self, name: str):
        self.name, self.count = name, 0

    def tick(self) -> None:
        self.count += 1

    def report(self) -> None:
        print(f"\nfuzz[{self.name}]: {self.count} examples")
        assert self.count >= MIN_EXAMPLES, f"{self.name} ran only {self.count} examples"


# --- inputs -----------------------------------------------------------------------------------

FILENAMES = st.sampled_from(
    ["a.txt", "a.md", "a.html", "a.htm", "a.pdf", "A.TXT", "a.docx", "noext", "", ".txt", "a.txt.exe", "../a.txt"]
)
TEXT_FILENAMES = st.sampled_from(["a.txt", "a.md", "a.html", "a.htm"])
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32", "cp1252", "latin-1", "koi8-r"])
HOSTILE_SNIPPETS = st.sampled_from(
    [
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "\x00\x01\x02",
        "\u202e\u200b\ufeff",
        '=HYPERLINK("http://x")',
        "On Friday the Commerce Department banned Huawei from buying US chips.",
        "\r\n\r\n",
        "\ud7ff\ue000\U0010ffff",
    ]
)


@st.composite
def encoded_text(draw) -> tuple[bytes, str]:
    text = draw(st.text(min_size=0, max_size=2000) | st.lists(HOSTILE_SNIPPETS, max_size=20).map("".join))
    encoding = draw(ENCODINGS)
    return text.encode(encoding, errors="replace"), draw(TEXT_FILENAMES)


@st.composite
def long_lines(draw, max_repeat: int = 200_000) -> tuple[bytes, str]:
    unit = draw(st.sampled_from(["a", "word ", "é", "<b>", " ", "\t", "-", "🙂"]))
    repeat = draw(st.integers(min_value=1, max_value=max_repeat))
    return (unit * repeat).encode("utf-8"), draw(TEXT_FILENAMES)


@st.composite
def nested_html(draw) -> tuple[bytes, str]:
    depth = draw(st.integers(min_value=1, max_value=5000))
    tag = draw(st.sampled_from(["div", "span", "table", "p", "b", "script", "svg", "template", "a href=x"]))
    closed = draw(st.booleans())
    inner = draw(
        st.sampled_from(["", "Regulators fined the company.", "<script>alert(1)</script>", "&amp;&#0;&#x110000;"])
    )
    close = f"</{tag.split()[0]}>" * depth if closed else ""
    markup = f"<html><head><title>{inner}</title></head><body>" + f"<{tag}>" * depth + inner + close
    return markup.encode("utf-8"), draw(st.sampled_from(["a.html", "a.htm", "a.txt"]))


def minimal_pdf(text: str) -> bytes:
    """A valid one-page PDF showing `text`, built by hand so mutations start from something real."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


VALID_PDF = minimal_pdf("The ministry banned Example Networks on Friday.")


@st.composite
def broken_pdfs(draw) -> tuple[bytes, str]:
    kind = draw(st.sampled_from(["junk", "mutated", "truncated", "nested", "bomb", "text"]))
    if kind == "junk":
        raw = b"%PDF-1." + draw(st.binary(max_size=4000))
    elif kind == "mutated":
        raw = bytearray(VALID_PDF)
        for position, value in draw(
            st.lists(st.tuples(st.integers(0, len(raw) - 1), st.integers(0, 255)), max_size=30)
        ):
            raw[position] = value
        raw = bytes(raw)
    elif kind == "truncated":
        raw = VALID_PDF[: draw(st.integers(min_value=1, max_value=len(VALID_PDF)))]
    elif kind == "nested":
        raw = b"%PDF-1.4\n1 0 obj\n" + b"[" * draw(st.integers(1, 50_000)) + b"\nendobj\n%%EOF"
    elif kind == "bomb":  # a small compressed stream that inflates a lot
        payload = zlib.compress(b"0" * draw(st.integers(1, 2_000_000)))
        raw = VALID_PDF.replace(b"/Length", b"/Filter /FlateDecode /Length", 1).replace(b"BT /F1", payload, 1)
    else:
        raw = draw(st.text(max_size=500)).encode("utf-8")
    return raw, draw(st.sampled_from(["a.pdf", "a.PDF", "a.txt"]))


ANY_UPLOAD = (
    st.tuples(st.binary(max_size=5000), FILENAMES) | encoded_text() | long_lines() | nested_html() | broken_pdfs()
)
# Where the text may go on through spaCy in the same example, keep it to article size.
ARTICLE_SIZED_UPLOAD = (
    st.tuples(st.binary(max_size=3000), FILENAMES) | encoded_text() | long_lines(max_repeat=3000) | broken_pdfs()
)


# --- documents --------------------------------------------------------------------------------


def test_a_valid_pdf_reads_so_the_mutations_start_from_something_real():
    document = document_from_bytes(VALID_PDF, "a.pdf")
    assert "Example Networks" in document.text


def _check_document(raw: bytes, filename: str) -> Document | None:
    try:
        document = document_from_bytes(raw, filename)
    except RefusedDocument as refusal:
        assert str(refusal).strip(), "a refusal must say why"
        return None
    assert isinstance(document, Document)
    assert isinstance(document.text, str) and document.text.strip()
    assert "\x00" not in document.text and "\x00" not in document.title
    assert len(document.source_name) <= 200
    assert document.url == "" or document.url.startswith(("http://", "https://"))
    return document


def test_document_from_bytes_returns_a_document_or_refuses():
    """Random bytes, random text in odd encodings, long lines, deep HTML and fake PDFs."""
    counter = ExampleCounter("document_from_bytes")

    @FUZZ
    @given(upload=ANY_UPLOAD)
    def document_property(upload):
        counter.tick()
        _check_document(*upload)

    document_property()
    counter.report()


@pytest.mark.parametrize(
    "raw, filename",
    [
        (b"x" * (5 * 1024 * 1024 + 1), "big.txt"),
        (b"\xff\xfe" + b"\x00\xd8" * 100, "bad-utf16.txt"),
        (b"<div>" * 100_000, "deep.html"),
        (b"%PDF-1.4\n" + b"<<" * 100_000, "deep.pdf"),
        (b"MZ\x90\x00\x03\x00\x00\x00", "program.txt"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image.html"),
    ],
)
def test_document_from_bytes_refuses_known_bad_uploads(raw, filename):
    with pytest.raises(RefusedDocument):
        document_from_bytes(raw, filename)


# --- the extraction pipeline --------------------------------------------------------------------

ACTORS = ["The Commerce Department", "President Trump", "The European Commission", "He", "It", "Regulators", "A court"]
VERBS = [
    "banned",
    "sanctioned",
    "sued",
    "fined",
    "ordered the sale of",
    "will ban",
    "could investigate",
    "denied banning",
]
TARGETS = ["Huawei", "TikTok", "ZTE", "Apple", "Acme Widgets Ltd", "ByteDance and Tencent", "its parent"]
WHEN = [
    "on Friday", "last week", "in March", "on 31 February 2024", "90 days later", "by next year", "in the 1990s",
    "yesterday", "in Q3 2025", "on 2024-13-45", "within 45 days", "earlier this month", "",
]  # fmt: skip


@st.composite
def news_like(draw) -> str:
    """Sentences built from the words the pipeline looks for, so the fuzz reaches the deep paths."""
    sentences = []
    for _ in range(draw(st.integers(1, 8))):
        parts = [draw(st.sampled_from(ACTORS)), draw(st.sampled_from(VERBS)), draw(st.sampled_from(TARGETS))]
        parts.insert(draw(st.integers(0, 3)), draw(st.sampled_from(WHEN)))
        end = draw(st.sampled_from([".", "!", "?", "", ";", "\n", "\n\n", ' "', ".'"]))
        sentences.append(" ".join(p for p in parts if p) + end)
    noise = draw(st.sampled_from(["", SCRIPT_NOISE, "WASHINGTON (Reuters) - ", "\u200b", "  \t ", "Advertisement\n"]))
    return noise + " ".join(sentences)


SCRIPT_NOISE = "<script>alert(1)</script> "
PIPELINE_TEXT = (
    news_like()
    | st.text(max_size=1500)
    | st.lists(HOSTILE_SNIPPETS, max_size=12).map(" ".join)
    | st.builds(
        lambda unit, n: unit * n, st.sampled_from(["word ", "Huawei ", ". ", "\n", "banned "]), st.integers(1, 1000)
    )
)
PUBLISHED = st.dates(dt.date(1990, 1, 1), dt.date(2035, 12, 31)) | st.dates()


@pytest.fixture(scope="module")
def run_pipeline():
    """The pipeline with the seed gazetteer, spaCy loaded once for the whole module."""
    from timeline.extraction import extract
    from timeline.extraction.seeds import gazetteer_from_seed_files, media_from_seed_files

    gazetteer, media = gazetteer_from_seed_files(), media_from_seed_files()
    extract("The Commerce Department banned Huawei on Friday.", dt.date(2024, 3, 1), gazetteer, media=media)

    def run(text: str, published_on: dt.date):
        return extract(text, published_on, gazetteer, media=media)

    return run


def _check_result(result, action_types) -> None:
    assert isinstance(result.text, str)
    for action in result.actions:
        assert 0 <= action.start_char <= action.end_char <= len(result.text), (action.start_char, action.end_char)
        quoted = " ".join(result.text[action.start_char : action.end_char].split())
        assert " ".join(action.evidence.split()) in quoted or quoted in " ".join(action.evidence.split())
        assert action.action_type in action_types
        assert action.window.start <= action.window.end
        assert action.window.precision in {"day", "week", "month", "year"}
        assert 0.0 <= action.confidence <= 1.0
        assert all(isinstance(deadline.due_on, dt.date) for deadline in action.deadlines)


def test_extraction_never_raises_and_its_offsets_point_into_the_text(run_pipeline):
    from timeline.extraction.types import ACTION_TYPES

    counter = ExampleCounter("extraction")
    found = []

    @FUZZ
    @given(text=PIPELINE_TEXT, published_on=PUBLISHED)
    def extraction_property(text, published_on):
        counter.tick()
        result = run_pipeline(text, published_on)
        _check_result(result, ACTION_TYPES)
        found.append(len(result.actions))

    extraction_property()
    counter.report()
    print(f"fuzz[extraction]: {sum(found)} actions found in {sum(1 for n in found if n)} texts")
    assert sum(found) > 0, "the news-like texts never reached the action paths"


# --- the admin upload ---------------------------------------------------------------------------

UPLOAD_URL = "/admin/timeline/article/add/"
DATE_TEXT = st.dates().map(dt.date.isoformat) | st.sampled_from(["", "2024-02-30", "yesterday", "0000-00-00", "9" * 40])


@st.composite
def upload_posts(draw) -> tuple[dict, list[tuple[str, bytes]]]:
    """A POST of the upload form: pasted text, files, both or neither, with odd metadata."""
    files = draw(st.lists(ANY_UPLOAD, max_size=3))
    text = draw(st.none() | st.text(max_size=3000) | long_lines().map(lambda upload: upload[0].decode()))
    fields = {
        "title": draw(st.text(max_size=600)),
        "source_name": draw(st.text(max_size=250)),
        "url": draw(
            st.sampled_from(["", "https://example.com/a", "javascript:alert(1)", "ftp://x"]) | st.text(max_size=50)
        ),
        "published_on": draw(DATE_TEXT),
    }
    if text is not None:
        fields["text"] = text
    return {k: v.replace("\x00", "") for k, v in fields.items()}, [(name or "blank", raw) for raw, name in files]


def media_files(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.mark.django_db
def test_admin_upload_never_fails_and_never_half_saves(admin_client, settings):
    """Whatever is posted: a 302 with every article complete, or the form again with nothing stored."""
    from timeline.models import Article
    from timeline.services import text_fingerprint

    counter = ExampleCounter("admin upload")
    media_root = django_settings.MEDIA_ROOT  # a temporary folder per test (conftest)

    @FUZZ_SLOW
    @given(post=upload_posts())
    def upload_property(post):
        counter.tick()
        fields, files = post
        payload = dict(fields)
        if files:
            payload["files"] = [SimpleUploadedFile(name, raw) for name, raw in files]
        with transaction.atomic():
            before = set(Article.objects.values_list("pk", flat=True))
            files_before = set(media_files(media_root))
            response = admin_client.post(UPLOAD_URL, payload)
            assert response.status_code in {200, 302}, response.status_code
            new = list(Article.objects.exclude(pk__in=before))
            new_files = set(media_files(media_root)) - files_before
            if response.status_code == 200:
                assert new == [], "the form was shown again but articles were stored"
                assert new_files == set(), "the form was shown again but files were left behind"
            else:
                assert len(new) == (len(files) or 1)
                for article in new:
                    assert article.title.strip() and article.body.strip()
                    assert article.content_hash == text_fingerprint(article.body)
                    assert article.published_on is not None
                    assert article.status == Article.Status.QUEUED
                    assert bool(article.original) == bool(files)
                assert len(new_files) == (len(files) if files else 0)
            transaction.set_rollback(True)
        for path in new_files:
            path.unlink()

    upload_property()
    counter.report()


# --- manage.py import_articles ------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=200),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3),
    max_leaves=8,
)


@st.composite
def collection_record(draw) -> dict:
    record = {}
    for key in ("title", "url", "published", "source", "text"):
        if draw(st.booleans()):
            record[key] = draw(JSON_VALUES | news_like() | DATE_TEXT)
    return record


@st.composite
def import_folders(draw) -> list[tuple[str, bytes]]:
    """A folder of files to import: documents, .jsonl and .csv collections, broken ones among them."""
    files = [
        (f"doc{n}{Path(name).suffix or '.txt'}", raw)
        for n, (raw, name) in enumerate(draw(st.lists(ARTICLE_SIZED_UPLOAD, max_size=3)))
    ]
    if draw(st.booleans()):
        files.append(("news.txt", draw(news_like()).encode("utf-8")))
    if draw(st.booleans()):
        lines = [json.dumps(record) for record in draw(st.lists(collection_record(), max_size=4))]
        lines += draw(st.lists(st.text(max_size=80), max_size=2))  # lines that are not JSON
        files.append(("records.jsonl", "\n".join(lines).encode("utf-8", errors="replace")))
    if draw(st.booleans()):
        header = draw(st.sampled_from([["title", "published", "text"], ["TEXT"], ["no", "text", "column"], []]))
        rows = draw(st.lists(st.lists(st.text(max_size=200) | DATE_TEXT, min_size=0, max_size=4), max_size=4))
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
        files.append(("records.csv", out.getvalue().encode("utf-8", errors="replace")))
    if draw(st.booleans()):
        files.append(("bad.csv", draw(st.binary(max_size=300))))
    return files


def run_import(*args: str) -> int:
    """The exit status `manage.py import_articles` would have; any other exception propagates."""
    try:
        call_command("import_articles", *args, stdout=io.StringIO(), stderr=io.StringIO())
    except CommandError as error:
        return error.returncode
    return 0


@pytest.mark.django_db
def test_import_articles_exits_0_or_1_whatever_the_files(tmp_path, run_pipeline):
    from timeline.models import Article
    from timeline.services import text_fingerprint

    counter = ExampleCounter("import_articles")
    statuses = Counter()

    @FUZZ_SLOW
    @given(folder=import_folders(), published=st.sampled_from([None, "2024-03-01"]), background=st.booleans())
    def import_property(folder, published, background):
        counter.tick()
        root = Path(tempfile.mkdtemp(dir=tmp_path))
        for name, raw in folder:
            (root / name).write_bytes(raw)
        args = [str(root), str(root / "missing.txt")] if not folder else [str(root)]
        args += ["--published", published] if published else []
        args += ["--background"] if background else []
        with transaction.atomic():
            status = run_import(*args)
            assert status in {0, 1}
            statuses[status] += 1
            for article in Article.objects.all():
                assert article.body.strip() and article.title.strip() and article.published_on
                assert article.content_hash == text_fingerprint(article.body)
                assert article.status in {"queued", "done", "failed"}
            transaction.set_rollback(True)

    import_property()
    counter.report()
    print(f"fuzz[import_articles]: exit statuses {dict(statuses)}")


@pytest.mark.slow
def test_import_articles_as_a_real_process_reports_bad_files_without_a_traceback(tmp_path):
    """The real command line over a folder of hostile files: exit status 1, messages, no traceback."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("On Friday the Commerce Department banned Huawei from buying US chips.")
    (folder / "fake.pdf").write_bytes(b"%PDF-1.4\n" + b"[" * 50_000)
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (folder / "deep.html").write_bytes(b"<div>" * 20_000 + b"Regulators fined Meta.")
    (folder / "records.jsonl").write_text(
        '{"text": 5}\nnot json\n{"text": "Ministers sanctioned ZTE.", "published": "soon"}\n'
    )
    (folder / "records.csv").write_bytes(b"\xff\xfe\x00garbage")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'import.sqlite3'}", DJANGO_MEDIA_ROOT=str(tmp_path / "media"))
    manage = [sys.executable, "manage.py"]
    base_dir = Path(__file__).resolve().parent.parent
    subprocess.run([*manage, "migrate", "-v", "0"], cwd=base_dir, env=env, check=True, timeout=300)
    result = subprocess.run(
        [*manage, "import_articles", str(folder), "--published", "2024-03-01", "--background"],
        cwd=base_dir, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "Imported 2" in result.stdout  # good.txt and deep.html's text
    for name in ("fake.pdf", "binary.txt", "records.jsonl line 1", "records.jsonl line 2", "records.csv"):
        assert name in result.stderr, name
