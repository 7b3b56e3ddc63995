"""Article text cleaned for extraction, with a map back to the text as received.

Promises:
- page furniture is dropped whole: promo and share lines ("GET FOX BUSINESS ON THE GO by
  clicking here", "CLICK HERE TO READ MORE ..."), credits ("The Associated Press
  contributed to this report"), bylines ("By David Shepardson and Katie Paul"), photo
  captions and all-caps headline lines inside the body;
- a dateline prefix ("WASHINGTON (Reuters) - ") is cut but its sentence kept, and remembered;
- curly quotes become straight ones and runs of spaces one space; words are never rewritten,
  so evidence quoted from the cleaned text still matches the source word for word;
- paragraphs are separated by a blank line, lines inside a paragraph by a newline;
- `CleanedText.to_original(offset)` maps any offset of the cleaned text to the raw text.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u200b": " ", "\ufeff": " ",
})  # fmt: skip

_PROMO = re.compile(
    r"""^(?:
        .*\bclick(?:ing)?\s+here\b.* | .*\b(?:sign\s+up|subscribe)\b.{0,40}\bnewsletter\b.*
      | (?:related|read\s+more|see\s+also|more\s+from|watch|listen|sponsored|recommended)\s*:.*
      | (?:share|tweet|email|print|save)(?:\s*(?:this|article|story|on\s+\w+|[|/,]))*\s*
      | advertisement | skip\s+advert\w* | continue\s+reading.* | story\s+continues.*
      | .*\bcontributed\s+to\s+this\s+(?:report|story|article)\.?
      | (?:reporting|writing|editing|additional\s+reporting)\s+by\b.*
      | (?:\u00a9|copyright\b|all\s+rights\s+reserved).*
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
# Short imperative calls to act on the page: "Get the app", "Follow us on X", "Download our app".
_CALL_TO_ACTION = re.compile(
    r"^(?:get|download|follow|subscribe|sign\s+up|tap|listen|watch|read)\b.{0,60}"
    r"\b(?:app|apps|newsletter|podcast|on\s+the\s+go|us|here|more|now|today)\W*$",
    re.IGNORECASE,
)
_CAPTION = re.compile(
    r"""^(?:
        (?:file\s+)?photo\s*:.* | image\s*(?:caption|source|credit)?\s*:.* | caption\s*:.*
      | comment\s+on\s+the\s+photo\b.* | \(?(?:photo|image|picture|video)\s+(?:by|credit|courtesy)\b.*
      | .*\b(?:getty\s+images|afp\s+via\s+getty|shutterstock)\b.{0,40}
      | .*\b(?:REUTERS|AP\s+Photo|AFP)/[A-Z][\w.\s-]*(?:/[\w\s]+)?\)?\.?
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_NAME = r"[A-Z][\w.'\u2019-]*"
_BYLINE = re.compile(
    rf"^(?i:by)\s+{_NAME}(?:\s+{_NAME}){{0,3}}(?:(?:,\s*|\s+and\s+){_NAME}(?:\s+{_NAME}){{0,3}}){{0,4}}"
    r"(?:\s*[|,-]\s*[\w .]{0,40})?$"
)
# "WASHINGTON (Reuters) - ", "WASHINGTON, D.C. – ", "BEIJING, Aug 14 (Reuters) -", "NEW DELHI (AP) — "
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'\u2019-]+(?:\s+[A-Z][A-Z.'\u2019-]+){0,3})"
    r"(?P<rest>,\s*[A-Za-z][\w.]*(?:\s+[\w.]+){0,3})?"
    r"(?:\s*\((?P<agency>[A-Za-z][\w .&-]{0,30})\))?"
    r"\s*[-\u2013\u2014]{1,2}\s+(?=\S)"
)
_WORD = re.compile(r"\S+")


@dataclass
class CleanedText:
    """The cleaned text and, per run of kept characters, where it came from."""

    text: str
    dateline: str = ""  # the dateline cut from the first body line, if any
    _clean_starts: list[int] = field(default_factory=list, repr=False)
    _raw_starts: list[int] = field(default_factory=list, repr=False)

    def to_original(self, offset: int) -> int:
        """The raw-text offset of the cleaned-text character at `offset`."""
        if not self._clean_starts:
            return offset
        i = max(0, bisect.bisect_right(self._clean_starts, offset) - 1)
        return self._raw_starts[i] + (offset - self._clean_starts[i])


def is_furniture(line: str) -> bool:
    """A whole line that belongs to the page, not the article."""
    if _PROMO.match(line) or _CAPTION.match(line) or _BYLINE.match(line):
        return True
    return len(line) <= 80 and bool(_CALL_TO_ACTION.match(line))


def is_shouted_headline(line: str) -> bool:
    """An all-caps line of several words: a cross-head or teaser for another story."""
    letters = [c for c in line if c.isalpha()]
    if len(letters) < 12 or len(line.split()) < 3:
        return False
    return sum(c.isupper() for c in letters) / len(letters) > 0.9


def cut_dateline(line: str) -> tuple[str, int]:
    """The dateline at the start of a line and the offset where the sentence begins."""
    match = _DATELINE.match(line)
    if not match or not (match.group("rest") or match.group("agency") or len(match.group("place")) > 2):
        return "", 0
    if len(match.group("place").replace(".", "")) < 3 and not match.group("agency"):
        return "", 0  # "U.S. - China" is no dateline
    return match.group(0).strip(), match.end()


def clean_text(raw: str) -> CleanedText:
    """Drop page furniture, cut the dateline and normalize quotes and spaces."""
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    lines: list[tuple[int, str]] = []  # (raw offset, line)
    offset = 0
    for line in raw.split("\n"):
        lines.append((offset, line))
        offset += len(line) + 1
    mostly_caps = _mostly_caps(line for _, line in lines)
    result = CleanedText(text="")
    parts: list[str] = []
    length = 0
    pending_break = ""
    dateline_seen = False
    first_content = True
    for raw_start, line in lines:
        normalized = line.translate(_QUOTES)
        stripped = normalized.strip()
        if not stripped:
            if parts:
                pending_break = "\n\n"
            continue
        if is_furniture(stripped) or (not first_content and not mostly_caps and is_shouted_headline(stripped)):
            if parts:
                pending_break = "\n\n"
            continue
        body_start = 0
        if not dateline_seen:
            lead = len(normalized) - len(normalized.lstrip())
            dateline, cut = cut_dateline(normalized[lead:])
            if dateline:
                result.dateline = dateline
                dateline_seen = True
                body_start = lead + cut
        first_content = False
        if parts:
            separator = pending_break or _line_separator(parts[-1], stripped)
            parts.append(separator)
            length += len(separator)
        pending_break = ""
        words = list(_WORD.finditer(normalized, body_start))
        for n, word in enumerate(words):
            if n:
                parts.append(" ")
                length += 1
            result._clean_starts.append(length)
            result._raw_starts.append(raw_start + word.start())
            parts.append(word.group())
            length += len(word.group())
    result.text = "".join(parts)
    return result


def _mostly_caps(lines) -> bool:
    """Whether the whole document is shouted, so caps lines are no sign of furniture."""
    kept = [line for line in lines if line.strip()]
    return bool(kept) and sum(is_shouted_headline(line) for line in kept) > len(kept) / 2


def _line_separator(previous: str, line: str) -> str:
    """A space for a hard-wrapped sentence that runs on, a newline between real lines."""
    if previous and previous[-1] not in ".!?:;\"')]" and line[:1].islower():
        return " "
    return "\n"
