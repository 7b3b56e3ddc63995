"""The editors' admin: uploads that save all or nothing, extraction in the background,
and the review tools (re-run, confirm/reject, company merge)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from timeline import services, tasks
from timeline.models import Action, Article, Company, Mention

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/timeline/article/add/"
DEMO = Path(__file__).resolve().parent.parent / "timeline" / "demo" / "articles.jsonl"


def founding_report() -> dict:
    return json.loads(DEMO.read_text(encoding="utf-8").splitlines()[0])


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_user("editor", password="not-used", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Runs the enqueue callbacks (and with the immediate backend, the extraction) as a commit would."""

    def run(callable_, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return callable_(*args, **kwargs)

    return run


def media_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_anonymous_users_are_sent_to_the_login_page(client):
    response = client.get(ADD_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    response = client.post(ADD_URL, {"text": "x", "published_on": "2020-08-16"})
    assert response.status_code == 302 and Article.objects.count() == 0


def test_the_add_page_shows_the_upload_form(editor):
    response = editor.get(ADD_URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'enctype="multipart/form-data"' in body
    assert 'name="files"' in body and "multiple" in body and 'name="text"' in body


def test_pasting_the_founding_report_stores_it_and_extracts_its_actions(editor, run_on_commit):
    report = founding_report()
    response = run_on_commit(editor.post, ADD_URL, {"text": report["text"], "published_on": "2020-08-16"})

    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:timeline_article_change", args=[article.pk])
    assert article.title == "Trump signals pressure on Alibaba, other Chinese companies after ByteDance"
    assert article.published_on == dt.date(2020, 8, 16)
    assert article.status == Article.Status.DONE, article.error
    divestment = Action.objects.filter(action_type="divestment_order", mentions__article=article).distinct()
    assert divestment.exists()
    assert dt.date(2020, 11, 12) in {d.due_on for a in divestment for d in a.deadlines.all()}
    assert {"ByteDance"} <= {c.name for a in divestment for c in a.targets.all()}


def test_the_extraction_is_queued_not_run_in_the_request(editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        editor.post(ADD_URL, {"text": "Huawei was sanctioned on Friday.", "published_on": "2020-08-16"})
    assert Article.objects.get().status == Article.Status.QUEUED
    assert len(callbacks) == 1


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"text": "   \n\t  "}, "The document contains no text"),
        ({"files": ("empty.txt", b"")}, "empty.txt: The file is empty."),
        ({"files": ("spaces.txt", b"  \n\n \t")}, "spaces.txt: The file contains only white space."),
        ({"files": ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")}, "binary file"),
        ({"files": ("noise.txt", bytes(range(0x80, 0x100)) * 3)}, "encoding could not be recognised"),
        ({"files": ("fake.pdf", b"Just words, not a PDF.")}, "not a PDF"),
        ({"files": ("slides.pptx", b"PK\x03\x04")}, "unsupported file type .pptx"),
        ({"text": "Tariffs on steel were raised."}, "Enter the publication date"),
    ],
)
def test_bad_input_gives_a_form_error_and_saves_nothing(editor, settings, fields, error):
    data = {"published_on": "" if "Enter the publication" in error else "2020-08-16"}
    if "files" in fields:
        name, content = fields["files"]
        data["files"] = SimpleUploadedFile(name, content)
    else:
        data["text"] = fields["text"]
    response = editor.post(ADD_URL, data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert Article.objects.count() == 0
    assert media_files(settings) == []


def test_whitespace_only_text_is_refused(editor):
    response = editor.post(ADD_URL, {"text": " \n \u00a0 ", "published_on": "2020-08-16"})
    assert "contains no text" in response.content.decode()
    assert Article.objects.count() == 0


def test_files_over_the_limit_are_refused(editor, settings):
    settings.ARTICLE_MAX_BYTES = 1000
    big = SimpleUploadedFile("big.txt", b"word " * 400)
    response = editor.post(ADD_URL, {"files": big, "published_on": "2020-08-16"})
    assert "big.txt: The file is too large" in response.content.decode()
    assert Article.objects.count() == 0


def test_one_bad_file_in_a_batch_saves_none_of_them(editor, settings):
    files = [
        SimpleUploadedFile("good.txt", b"Huawei was added to the Entity List on Friday."),
        SimpleUploadedFile("bad.txt", b"\x00\x01\x02\x03binary"),
    ]
    response = editor.post(ADD_URL, {"files": files, "published_on": "2020-08-16"})
    assert "bad.txt: This looks like a binary file" in response.content.decode()
    assert Article.objects.count() == 0
    assert media_files(settings) == []


def test_a_duplicate_is_refused_with_links_to_the_first(editor, run_on_commit, monkeypatch):
    monkeypatch.setattr(tasks, "extract_batch", lambda ids: tasks.BatchOutcome())  # extraction is not the point here
    text = "The FTC sued Facebook on Wednesday."
    run_on_commit(editor.post, ADD_URL, {"text": text, "published_on": "2020-12-10"})
    first = Article.objects.get()
    response = editor.post(
        ADD_URL, {"files": SimpleUploadedFile("again.txt", text.encode()), "published_on": "2020-12-10"}
    )
    body = response.content.decode()
    assert "again.txt is already stored as" in body
    assert f'href="{reverse("admin:timeline_article_change", args=[first.pk])}"' in body
    assert f'href="{first.get_absolute_url()}"' in body
    assert Article.objects.count() == 1


def test_several_files_become_several_articles_and_html_brings_its_own_date(editor, run_on_commit, monkeypatch):
    monkeypatch.setattr(tasks, "extract_batch", lambda ids: tasks.BatchOutcome())
    html = (
        b'<html><head><title>Entity List</title><meta property="article:published_time" content="2019-05-16">'
        b'<meta property="og:site_name" content="Wire"></head><body><article><p>The Commerce Department added'
        b" Huawei to the Entity List, officials said, in a move that restricts sales of American technology."
        b"</p></article></body></html>"
    )
    files = [SimpleUploadedFile("entity.html", html), SimpleUploadedFile("note.md", b"# Tariffs\n\nTariffs rose.")]
    response = run_on_commit(editor.post, ADD_URL, {"files": files, "published_on": ""})
    body = response.content.decode()
    assert "Enter the publication date: note.md carries no date of its own." in body
    assert Article.objects.count() == 0

    files = [SimpleUploadedFile("entity.html", html)]
    run_on_commit(editor.post, ADD_URL, {"files": files, "published_on": ""})
    assert Article.objects.get().published_on == dt.date(2019, 5, 16)
    assert Article.objects.get().source_name == "Wire"

    files = [SimpleUploadedFile("a.txt", b"First article text."), SimpleUploadedFile("b.txt", b"Second article text.")]
    response = run_on_commit(
        editor.post, ADD_URL, {"files": files, "published_on": "2021-01-04", "source_name": "Desk"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("admin:timeline_article_changelist")
    assert "Added 2 article(s)" in response.content.decode()
    assert sorted(Article.objects.filter(source_name="Desk").values_list("title", flat=True)) == [
        "First article text.",
        "Second article text.",
    ]
    stored = Article.objects.get(title="First article text.")
    assert stored.original.read() == b"First article text."


def test_a_crash_during_extraction_leaves_the_article_failed_with_the_error(editor, run_on_commit, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("spaCy fell over")

    monkeypatch.setattr(tasks, "extract_many", explode)
    monkeypatch.setattr(tasks, "extract", explode)
    run_on_commit(editor.post, ADD_URL, {"text": "Huawei was sanctioned.", "published_on": "2020-08-16"})

    article = Article.objects.get()
    assert article.status == Article.Status.FAILED
    assert article.error == "RuntimeError: spaCy fell over"
    page = editor.get(reverse("admin:timeline_article_change", args=[article.pk])).content.decode()
    assert "RuntimeError: spaCy fell over" in page
    listing = editor.get(reverse("admin:timeline_article_changelist")).content.decode()
    assert "spaCy fell over" in listing


def test_the_rerun_action_queues_extraction_again(editor, run_on_commit, monkeypatch):
    seen = []
    monkeypatch.setattr(tasks, "extract_batch", lambda ids: seen.append(list(ids)) or tasks.BatchOutcome())
    article = services.article_ingest(title="t", body="Body text.", published_on=dt.date(2020, 1, 1), enqueue=False)
    services.article_mark_failed(article=article, error="boom")
    response = run_on_commit(
        editor.post,
        reverse("admin:timeline_article_changelist"),
        {"action": "rerun_extraction", "_selected_action": [article.pk]},
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.status, article.error, article.attempts) == (Article.Status.QUEUED, "", 0)
    assert seen == [[article.pk]]


def make_action(article: Article, company_name: str, start_char: int = 0, **fields) -> Action:
    action = Action.objects.create(
        action_type=fields.pop("action_type", "sanction"),
        occurred_from=dt.date(2020, 8, 14),
        occurred_to=dt.date(2020, 8, 14),
        summary=fields.pop("summary", f"{company_name} sanctioned"),
        **fields,
    )
    action.targets.set([Company.objects.get(name=company_name)])
    Mention.objects.create(action=action, article=article, sentence="s", start_char=start_char, end_char=start_char + 1)
    return action


@pytest.fixture
def article():
    return services.article_ingest(title="t", body="Body.", published_on=dt.date(2020, 8, 16), enqueue=False)


def test_bulk_confirm_and_reject(editor, article):
    one, two = make_action(article, "Huawei"), make_action(article, "ZTE", 5)
    url = reverse("admin:timeline_action_changelist")
    editor.post(url, {"action": "confirm", "_selected_action": [one.pk, two.pk]})
    assert set(Action.objects.values_list("review_state", flat=True)) == {"confirmed"}
    editor.post(url, {"action": "reject", "_selected_action": [two.pk]})
    assert Action.objects.get(pk=two.pk).review_state == "rejected"


def test_editing_an_action_marks_it_edited_unless_the_state_was_chosen(editor, article):
    action = make_action(article, "Huawei")
    url = reverse("admin:timeline_action_change", args=[action.pk])
    form = {
        "summary": "Huawei sanctioned by Treasury",
        "action_type": "sanction",
        "actor": "",
        "actor_name": "",
        "occurred_from": "2020-08-14",
        "occurred_to": "2020-08-14",
        "precision": "day",
        "targets": [action.targets.get().pk],
        "review_state": "auto",
        "confidence": "0.5",
        "deadlines-TOTAL_FORMS": "0",
        "deadlines-INITIAL_FORMS": "0",
        "mentions-TOTAL_FORMS": "0",
        "mentions-INITIAL_FORMS": "0",
    }
    response = editor.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    action.refresh_from_db()
    assert (action.summary, action.review_state) == ("Huawei sanctioned by Treasury", "edited")
    assert "Treasury" in action.search_text

    editor.post(url, {**form, "summary": "Changed again", "review_state": "confirmed"})
    assert Action.objects.get(pk=action.pk).review_state == "confirmed"


def test_merging_companies_asks_which_to_keep_then_moves_references(editor, article):
    offered = services.company_offer(name="Huawei Tech Co")
    action = make_action(article, "Huawei Tech Co")
    keep = Company.objects.get(name="Huawei")
    url = reverse("admin:timeline_company_changelist")

    page = editor.post(url, {"action": "merge_companies", "_selected_action": [keep.pk, offered.pk]})
    assert page.status_code == 200
    assert 'name="keep"' in page.content.decode() and Company.objects.filter(pk=offered.pk).exists()

    editor.post(
        url, {"action": "merge_companies", "_selected_action": [keep.pk, offered.pk], "post": "yes", "keep": keep.pk}
    )
    assert not Company.objects.filter(pk=offered.pk).exists()
    assert list(action.targets.all()) == [keep]
    assert "Huawei Tech Co" in Company.objects.get(pk=keep.pk).aliases


def test_admin_lists_render(editor, article):
    make_action(article, "Huawei")
    for name in ("article", "action", "company", "actor"):
        response = editor.get(reverse(f"admin:timeline_{name}_changelist"), {"q": "Huawei"})
        assert response.status_code == 200, name
    assert editor.get(reverse("admin:timeline_article_change", args=[article.pk])).status_code == 200
