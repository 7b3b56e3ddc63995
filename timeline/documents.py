"""Uploads in, readable text out: .txt, .md, .html and .pdf become a Document.

Bad input (empty, binary, too large, undecodable, not what its name claims, an
unsupported type) raises RefusedDocument with a message fit to show an editor;
nothing else escapes for bad input, whatever the bytes.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import logging
import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf")
HTML_SUFFIXES = (".html", ".htm")
TITLE_MAX_CHARS = 300
# Share of characters that may be control or unassigned before we call it binary.
MAX_NON_TEXT_SHARE = 0.02
# Below this "mess" score a cp1252 reading is plain Western text, not mojibake.
CP1252_MESS_LIMIT = 0.1

_BOMS = (  # UTF-32 first: its little-endian marker begins with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_WIDE_ENCODINGS = ["utf_16", "utf_16_be", "utf_16_le", "utf_32", "utf_32_be", "utf_32_le"]


class RefusedDocument(ValueError):
    """The upload cannot become an article; the message says why, for the user."""


@dataclass
class Document:
    text: str
    title: str
    published_on: dt.date | None
    source_name: str
    url: str
    filename: str
    raw: bytes


def document_from_text(text: str) -> Document:
    """Pasted text: the same checks as a .txt upload."""
    raw = text.encode("utf-8", errors="replace")
    refuse_oversized(len(raw))
    body = _readable_text(text)
    return Document(text=body, title=_first_line(body), published_on=None, source_name="", url="", filename="", raw=raw)


def document_from_path(path: str | Path) -> Document:
    path = Path(path)
    _refuse_unsupported(path.name)
    refuse_oversized(path.stat().st_size)
    return document_from_bytes(path.read_bytes(), path.name)


def document_from_bytes(raw: bytes, filename: str) -> Document:
    """Read an uploaded file by its extension; refuse anything that is not readable text."""
    suffix = _refuse_unsupported(filename)
    refuse_oversized(len(raw))
    if not raw:
        raise RefusedDocument("The file is empty.")
    if not raw.strip():
        raise RefusedDocument("The file contains only white space.")
    if suffix == ".pdf":
        text, title, published_on, source_name, url = _read_pdf(raw), "", None, "", ""
    elif suffix in HTML_SUFFIXES:
        text, title, published_on, source_name, url = _read_html(raw)
    else:
        text, title, published_on, source_name, url = _decode_text(raw), "", None, "", ""
    text = _readable_text(text)
    return Document(
        text=text,
        title=_clean_line(title) or _first_line(text),
        published_on=published_on,
        source_name=_clean_line(source_name)[:200],
        url=url.strip() if url.strip().startswith(("http://", "https://")) else "",
        filename=Path(filename).name,
        raw=raw,
    )


def _refuse_unsupported(filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        shown = suffix or "(no extension)"
        raise RefusedDocument(f"unsupported file type {shown}; use .txt, .md, .html or .pdf")
    return suffix


def refuse_oversized(size: int) -> None:
    """Refuse a document of this many bytes if it is over the limit (callers check before reading)."""
    if size > settings.ARTICLE_MAX_BYTES:
        limit_mb = settings.ARTICLE_MAX_BYTES / (1024 * 1024)
        raise RefusedDocument(f"The file is too large ({size / (1024 * 1024):.1f} MB); the limit is {limit_mb:g} MB.")


def _readable_text(decoded: str) -> str:
    """The cleaned text, refusing what is empty or mostly not text."""
    if decoded:
        odd = sum(
            1 for ch in decoded if unicodedata.category(ch) in {"Cc", "Cn", "Co", "Cs"} and ch not in "\n\r\t\f\v"
        )
        odd += decoded.count("\ufffd")
        if odd > 2 and odd / len(decoded) > MAX_NON_TEXT_SHARE:  # a stray bell in a short note is not binary
            raise RefusedDocument("This looks like a binary file, not text.")
    text = _clean_text(decoded)
    if not text:
        raise RefusedDocument("The document contains no text (it is empty or only white space).")
    return text


def _decode_text(raw: bytes) -> str:
    """UTF-8 first, then Windows-1252 when it reads cleanly, then charset detection."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                raise RefusedDocument(
                    f"The file starts with a {encoding.upper()} marker but is not valid {encoding.upper()}."
                ) from None
    if b"\x00" in raw:
        raise RefusedDocument("This looks like a binary file, not text (it contains NUL bytes).")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes
    from charset_normalizer.md import mess_ratio

    # Detection is unreliable on short Western texts (latin-1 read as Baltic or
    # Mac Turkish), and those are by far the likeliest non-UTF-8 uploads.
    try:
        western = raw.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if western is not None and mess_ratio(western, CP1252_MESS_LIMIT) < CP1252_MESS_LIMIT:
        return western
    best = from_bytes(raw, cp_exclusion=_WIDE_ENCODINGS).best()
    if best is None:
        raise RefusedDocument("The text encoding could not be recognised; save the file as UTF-8 and try again.")
    return str(best)


def _clean_text(text: str) -> str:
    """One newline convention, no control characters, no trailing blanks, at most one empty line in a row."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = text.replace("\ufeff", "").replace("\t", " ").replace("\f", "\n\n").replace("\v", "\n")
    text = "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch) != "Cc")
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _clean_line(text: str | None) -> str:
    return " ".join(_clean_text(text or "").split())


def _first_line(text: str) -> str:
    for line in text.split("\n"):
        if line := " ".join(line.split()):
            if len(line) <= TITLE_MAX_CHARS:
                return line
            return line[:TITLE_MAX_CHARS].rsplit(" ", 1)[0] + "…"
    return ""


def _read_html(raw: bytes) -> tuple[str, str, dt.date | None, str, str]:
    """Readable text and metadata via trafilatura; a plain tag-stripping fallback when it finds nothing."""
    if b"\x00" in raw and not raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise RefusedDocument("This looks like a binary file, not HTML (it contains NUL bytes).")
    markup = _decode_text(raw)
    extracted = _trafilatura_extract(markup)
    if extracted is not None and (extracted.text or "").strip():
        return (
            extracted.text,
            extracted.title or "",
            _parse_iso_day(extracted.date),
            extracted.sitename or "",
            extracted.url or "",
        )
    stripper = _TagStripper()
    try:
        stripper.feed(markup)
        stripper.close()
    except Exception:  # the stdlib parser is lenient; this is belt and braces
        log.debug("HTML fallback parser gave up", exc_info=True)
    return stripper.text(), stripper.title(), None, "", ""


def _trafilatura_extract(markup: str):
    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # it logs every page it cannot parse
    try:
        return trafilatura.bare_extraction(
            markup,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            # Only a date the page declares, not one guessed from the body text.
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception:  # malformed or hostile markup: fall back to the plain reader
        log.debug("trafilatura could not read the page", exc_info=True)
        return None


def _parse_iso_day(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


class _TagStripper(HTMLParser):
    """Text of an HTML page without script, style or other non-content elements."""

    SKIPPED = {"script", "style", "noscript", "template", "svg", "math", "iframe", "object", "head", "nav", "footer"}
    BLOCKS = {
        "p",
        "div",
        "br",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "section",
        "article",
        "blockquote",
        "pre",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._parts: list[str] = []
        self._title: list[str] = []
        self._skip_depth = 0
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self._in_title = True
        elif tag in self.SKIPPED:
            self._skip_depth += 1
        elif tag in self.BLOCKS:
            self._parts.append("\n")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag in self.SKIPPED:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in self.BLOCKS:
            self._parts.append("\n")

    def handle_data(self, data):
        if self._in_title:
            self._title.append(data)
        elif not self._skip_depth:
            self._parts.append(data)

    def text(self) -> str:
        lines = (" ".join(line.split()) for line in "".join(self._parts).split("\n"))
        return "\n\n".join(line for line in lines if line)

    def title(self) -> str:
        return " ".join("".join(self._title).split())


def _read_pdf(raw: bytes) -> str:
    if b"%PDF-" not in raw[:1024]:  # the spec allows junk before the marker, within the first 1 KB
        raise RefusedDocument("This is not a PDF file (it does not start with the %PDF- marker).")
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # malformed files warn on every object
    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise RefusedDocument("The PDF is password-protected; upload an unprotected copy.")
        pages = [page.extract_text() or "" for page in reader.pages]
    except RefusedDocument:
        raise
    except Exception as exc:  # pypdf raises many types for damaged files
        raise RefusedDocument(f"The PDF could not be read ({type(exc).__name__}); it may be damaged.") from None
    text = "\n\n".join(page.strip() for page in pages if page.strip())
    if not text:
        raise RefusedDocument("The PDF contains no extractable text (a scanned image needs OCR first).")
    return text
