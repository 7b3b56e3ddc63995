"""Plain data that flows through the extraction pipeline: no ORM, no spaCy objects."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

Precision = Literal["day", "week", "month", "year"]

ACTION_TYPES = (
    "executive_order",
    "ban",
    "sanction",
    "export_control",
    "divestment_order",
    "investigation",
    "lawsuit",
    "court_ruling",
    "regulation",
    "tariff",
    "legislation",
    "statement",
    "other",
)


@dataclass(frozen=True)
class DateWindow:
    """The span in which something happened; start == end for a known day."""

    start: dt.date
    end: dt.date
    precision: Precision
    phrase: str = ""  # the text it was read from ("on Friday", "last week")


@dataclass(frozen=True)
class KnownCompany:
    name: str
    aliases: tuple[str, ...] = ()
    parent: str | None = None  # canonical name of the parent company
    country: str = ""


@dataclass(frozen=True)
class KnownActor:
    name: str
    kind: str  # head_of_state, official, agency, legislature, court, other
    aliases: tuple[str, ...] = ()
    country: str = ""


@dataclass(frozen=True)
class Gazetteer:
    """What the pipeline knows before it reads: passed in, never looked up."""

    companies: tuple[KnownCompany, ...] = ()
    actors: tuple[KnownActor, ...] = ()


@dataclass
class ExtractedDeadline:
    due_on: dt.date
    what: str
    derivation: str  # how it was computed: "90 days after 2020-08-14"


@dataclass
class ExtractedAction:
    action_type: str
    actor: str | None
    window: DateWindow
    targets: list[str]  # canonical company names (known) or names as written (new)
    evidence: str
    start_char: int  # offsets of the evidence sentence in the cleaned text
    end_char: int
    confidence: float
    summary: str
    deadlines: list[ExtractedDeadline] = field(default_factory=list)
    new_targets: list[str] = field(default_factory=list)  # targets the gazetteer did not know

    def as_json(self) -> dict:
        """The shape of the `extract --json` contract."""
        return {
            "action_type": self.action_type,
            "actor": self.actor,
            "date_start": self.window.start.isoformat(),
            "date_end": self.window.end.isoformat(),
            "precision": self.window.precision,
            "date_phrase": self.window.phrase,
            "targets": list(self.targets),
            "deadlines": [
                {"date": d.due_on.isoformat(), "what": d.what, "derivation": d.derivation} for d in self.deadlines
            ],
            "evidence": self.evidence,
            "start_char": self.start_char,
            "end_char": self.end_char,
            "confidence": round(self.confidence, 2),
            "summary": self.summary,
        }


@dataclass
class ExtractionResult:
    text: str  # the cleaned text that offsets point into
    actions: list[ExtractedAction]
