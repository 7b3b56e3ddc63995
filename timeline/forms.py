"""The editors' article upload form: pasted text or one or more files, all
validated before any is saved."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html

from timeline import services
from timeline.documents import Document, RefusedDocument, document_from_bytes, document_from_text, refuse_oversized
from timeline.models import Article


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that takes several files at once (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".txt,.md,.html,.htm,.pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single_file_clean = super().clean
        if isinstance(data, list | tuple):
            return [single_file_clean(item, initial) for item in data if item]
        return [single_file_clean(data, initial)] if data else []


@dataclass
class PendingArticle:
    """One document that passed every check, with the metadata it will be stored under."""

    document: Document
    title: str
    published_on: dt.date
    source_name: str
    url: str


def duplicate_message(existing: Article, label: str = "This text") -> str:
    return format_html(
        '{} is already stored as “{}” (<a href="{}">edit in the admin</a>, <a href="{}">public page</a>).',
        label,
        existing.title,
        reverse("admin:timeline_article_change", args=[existing.pk]),
        existing.get_absolute_url(),
    )


class ArticleUploadForm(forms.Form):
    text = forms.CharField(
        label="Paste text",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "cols": 90}),
        help_text="The article's text. Or upload files below, not both.",
    )
    files = MultipleFileField(
        label="Or upload files",
        required=False,
        allow_empty_file=True,  # documents.py refuses empty files with a clearer message
        help_text="One or several .txt, .md, .html or .pdf files, 5 MB each at most.",
    )
    title = forms.CharField(
        max_length=500, required=False, help_text="Leave blank to take it from the document (its first line)."
    )
    source_name = forms.CharField(
        label="Source", max_length=200, required=False, help_text="The publication, e.g. Reuters."
    )
    url = forms.URLField(label="URL", max_length=2000, required=False, assume_scheme="https")
    published_on = forms.DateField(
        label="Publication date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Relative dates in the text (“on Friday”) are read against it; when given it applies to every "
        "document of this upload. Leave it blank only when every uploaded page carries its own date (HTML metadata).",
    )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        text, files = cleaned.get("text") or "", cleaned.get("files") or []
        if text and files:
            raise ValidationError("Paste text or upload files, not both.")
        if not text and not files:
            raise ValidationError("Paste the article's text or upload at least one file.")
        if len(files) > 1:
            for name in ("title", "url"):
                if cleaned.get(name):
                    self.add_error(name, "Leave this blank when uploading several files; each file supplies its own.")
        documents = self._documents(text, files)
        if not self.errors:
            self.pending = self._pending(documents)
        return cleaned

    def _documents(self, text: str, files) -> list[Document]:
        if text:
            try:
                return [document_from_text(text)]
            except RefusedDocument as exc:
                self.add_error("text", str(exc))
                return []
        documents = []
        for upload in files:
            try:
                refuse_oversized(upload.size)  # before reading it into memory
                documents.append(document_from_bytes(upload.read(), upload.name))
            except RefusedDocument as exc:
                self.add_error("files", f"{upload.name}: {exc}")
        return documents

    def _pending(self, documents: list[Document]) -> list[PendingArticle]:
        cleaned = self.cleaned_data
        pending, seen = [], {}
        undated = []
        for document in documents:
            label = document.filename or "This text"
            fingerprint = services.text_fingerprint(document.text)
            if fingerprint in seen:
                self.add_error("files", f"{label}: the same text as {seen[fingerprint]}, uploaded twice.")
                continue
            seen[fingerprint] = label
            if existing := services.article_find_duplicate(text=document.text):
                self.add_error("text" if not document.filename else "files", duplicate_message(existing, label))
                continue
            published_on = cleaned.get("published_on") or document.published_on
            if published_on is None:
                undated.append(label)
                continue
            pending.append(
                PendingArticle(
                    document=document,
                    title=cleaned.get("title") or document.title,
                    published_on=published_on,
                    source_name=cleaned.get("source_name") or document.source_name,
                    url=cleaned.get("url") or document.url,
                )
            )
        if undated:
            self.add_error(
                "published_on",
                "Enter the publication date: " + ", ".join(undated) + " carries no date of its own.",
            )
        return pending

    def save(self) -> list[Article]:
        """Store every pending article, or none: a duplicate that slipped in meanwhile undoes the lot."""
        saved: list[Article] = []
        try:
            with transaction.atomic():
                for item in self.pending:
                    saved.append(
                        services.article_ingest(
                            title=item.title,
                            body=item.document.text,
                            published_on=item.published_on,
                            source_name=item.source_name,
                            url=item.url,
                            original_name=item.document.filename,
                            original_bytes=item.document.raw if item.document.filename else None,
                        )
                    )
        except services.DuplicateArticle as exc:
            for article in saved:  # the rows rolled back; their files did not
                if article.original:
                    article.original.delete(save=False)
            self.add_error(None, duplicate_message(exc.existing))
            return []
        return saved
