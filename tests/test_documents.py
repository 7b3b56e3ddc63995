"""documents.py turns uploads into text and refuses bad input with a message an editor can act on."""

from __future__ import annotations

import contextlib
import datetime as dt
import os

import pytest

from timeline.documents import RefusedDocument, document_from_bytes, document_from_path, document_from_text


def minimal_pdf(lines: list[str]) -> bytes:
    """A hand-written one-page PDF with real text (pypdf reads PDFs but cannot typeset text)."""
    content = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(f"({line}) Tj T*" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        " /Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


NEWS_PAGE = b"""<!doctype html>
<html><head>
<title>Commerce bans TikTok downloads | The Daily Example</title>
<meta property="og:site_name" content="The Daily Example">
<meta property="article:published_time" content="2020-09-18T12:00:00Z">
<script>window.tracker = "SECRET-SCRIPT-TEXT";</script>
<style>.x { content: "SECRET-STYLE-TEXT"; }</style>
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/business">Business menu</a></nav>
<article>
<h1>Commerce bans TikTok downloads</h1>
<p>The U.S. Department of Commerce said on Friday it will prohibit transactions related to TikTok and WeChat
beginning on Sunday, citing national security.</p>
<img src="x.png" onerror="alert('SECRET-HANDLER')">
<p>The move would initially ban new downloads of the popular Chinese-owned apps from app stores in the
United States, officials said in a statement released in Washington.</p>
<script>document.write("SECRET-INLINE-SCRIPT")</script>
</article>
<div class="share-buttons social">Share on Facebook Share on Twitter Share by email</div>
<footer>Copyright 2020 The Daily Example. All rights reserved.</footer>
</body></html>"""


@pytest.mark.parametrize(
    ("raw", "name", "reason"),
    [
        (b"", "a.txt", "empty"),
        (b"   \n\t\r\n  ", "a.txt", "only white space"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "photo.txt", "binary"),
        (bytes(range(1, 32)) * 20 + b"some words", "weird.md", "binary"),
        (b"%PDF-1.7 but nothing that a PDF reader could parse", "broken.pdf", "could not be read"),
        (b"This is a plain text file pretending to be a PDF.", "fake.pdf", "not a PDF"),
        (b"<html><body><script>only()</script></body></html>", "empty.html", "no text"),
        (b"hello", "report.docx", "unsupported file type .docx; use .txt, .md, .html or .pdf"),
        (b"hello", "README", "unsupported file type"),
    ],
)
def test_bad_input_is_refused_with_a_reason(raw, name, reason):
    with pytest.raises(RefusedDocument, match=reason):
        document_from_bytes(raw, name)


def test_files_over_the_limit_are_refused(settings):
    settings.ARTICLE_MAX_BYTES = 5 * 1024 * 1024
    with pytest.raises(RefusedDocument, match=r"too large .* limit is 5 MB"):
        document_from_bytes(b"word " * (1024 * 1024 + 1), "big.txt")


def test_undecodable_bytes_are_refused():
    # Every high byte: not UTF-8, not Windows-1252 (0x81 is unassigned), nothing a detector trusts.
    raw = bytes(range(0x80, 0x100)) * 3
    with pytest.raises(RefusedDocument, match="encoding could not be recognised"):
        document_from_bytes(raw, "noise.txt")


def test_latin1_text_keeps_its_accents():
    raw = "Société Générale condamnée à Paris\nLa Commission européenne a infligé une amende.".encode("latin-1")
    document = document_from_bytes(raw, "fr.txt")
    assert document.text.startswith("Société Générale condamnée à Paris")
    assert "européenne a infligé" in document.text
    assert document.title == "Société Générale condamnée à Paris"


def test_utf8_with_bom_and_windows_newlines_is_normalised():
    raw = "\ufeffFirst line\r\nSecond\x07 line\rThird".encode()
    document = document_from_bytes(raw, "a.md")
    assert document.text == "First line\nSecond line\nThird"
    assert document.title == "First line"


def test_pasted_text_uses_its_first_non_empty_line_as_title():
    document = document_from_text("\n\n  Trump orders ByteDance to divest  \n\nBody text here.")
    assert document.title == "Trump orders ByteDance to divest"
    assert document.text == "Trump orders ByteDance to divest\n\nBody text here."
    with pytest.raises(RefusedDocument, match="no text"):
        document_from_text(" \n\t ")


def test_html_keeps_the_story_and_drops_scripts_handlers_and_furniture():
    document = document_from_bytes(NEWS_PAGE, "page.html")
    assert "prohibit transactions related to TikTok and WeChat" in document.text
    assert "ban new downloads" in document.text
    for hidden in ("SECRET-SCRIPT-TEXT", "SECRET-STYLE-TEXT", "SECRET-HANDLER", "SECRET-INLINE-SCRIPT", "onerror", "<"):
        assert hidden not in document.text
    for furniture in ("Business menu", "Share on Facebook", "All rights reserved"):
        assert furniture not in document.text
    assert document.published_on == dt.date(2020, 9, 18)
    assert document.source_name == "The Daily Example"
    assert document.title.startswith("Commerce bans TikTok downloads")


def test_html_without_a_readable_article_falls_back_to_plain_text_without_scripts():
    raw = b"<div><script>evil()</script><style>b{}</style><b>Short</b> note.</div>"
    document = document_from_bytes(raw, "tiny.htm")
    assert "Short" in document.text
    assert "evil" not in document.text and "b{}" not in document.text
    assert document.published_on is None


def test_deeply_nested_html_is_read_or_refused_but_never_crashes():
    raw = b"<div>" * 50_000 + b"Deep text about sanctions." + b"</div>" * 50_000
    try:
        document = document_from_bytes(raw, "deep.html")
    except RefusedDocument:
        return
    assert "Deep text about sanctions." in document.text


def test_a_real_pdf_is_read():
    raw = minimal_pdf(["Commerce adds Huawei to the Entity List", "The Department acted on May 15, 2019."])
    document = document_from_bytes(raw, "release.pdf")
    assert "Commerce adds Huawei to the Entity List" in document.text
    assert "May 15, 2019" in document.text
    assert document.title == "Commerce adds Huawei to the Entity List"
    assert document.raw == raw


def test_random_bytes_never_raise_anything_but_refused():
    for size in (1, 7, 64, 500, 4000):
        raw = os.urandom(size)
        for name in ("a.txt", "a.html", "a.pdf"):
            with contextlib.suppress(RefusedDocument):
                document_from_bytes(raw, name)


def test_document_from_path_reads_by_extension(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("A note about tariffs.\nSecond line.", encoding="utf-8")
    document = document_from_path(path)
    assert document.filename == "note.txt"
    assert document.title == "A note about tariffs."
    with pytest.raises(RefusedDocument, match="unsupported"):
        document_from_path(tmp_path / "x.exe")
