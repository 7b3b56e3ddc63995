"""Who is named in an article: companies, government actors and media, by token span.

Promises:
- gazetteer names come from the EntityRuler ids; a known name written with more legal words
  around it ("AO Kaspersky Lab" when only "Kaspersky Lab" is known) is a company of its own;
- a known name followed, in a list, by a capitalized word it modifies is a product of its own
  ("QQ Mail"), and "Ministry of ..." is a body even when it ends like a company;
- unknown companies are organizations with a legal form ("Kunlun Shipping Company Limited",
  "Acme Robotics Co., Ltd.") or, weaker, any organization the NER finds that is no
  government body and no media outlet (`CompanyMention.weak`), left to the action rules;
- unknown actors are organizations that read like a government body, people with an
  official title and countries used as the subject of a verb;
- `ArticleEntities` answers which mentions lie in a token range, which company the article
  is about (its topic) and which actor a generic phrase ("the Commission", "he") means.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from .lexicon import (
    COMPANY_PREFIX,
    COMPANY_SUFFIX,
    COUNTRY_NAMES,
    GENERIC_ACTOR_WORDS,
    GOVERNMENT_WORDS,
    OFFICIAL_TITLES,
)
from .nlp import PERSON_KINDS, split_entity_id
from .seeds import media_from_seed_files
from .types import Gazetteer

_LEGAL_WORDS = {
    "inc", "inc.", "ltd", "ltd.", "limited", "llc", "corp", "corp.", "corporation", "company", "co",
    "co.", "group", "holding", "holdings", "technologies", "technology", "plc", "sa", "ag", "ab",
    "nv", "se", "gmbh", "lab", "labs", "pte", "pte.", "jsc", "pjsc", "incorporated", ",",
}  # fmt: skip
_LEGAL_PREFIXES = {"AO", "OOO", "PAO", "PJSC", "JSC", "OAO", "ZAO"}
# Words of a legal form spelled out: "Public Joint Stock Company" alone names no company.
_SPELLED_FORM_WORDS = {"public", "private", "joint", "stock", "open", "closed", "limited", "liability", "company"}
_LEGAL_FORMS = {
    "inc", "inc.", "ltd", "ltd.", "limited", "llc", "corp", "corp.", "corporation", "plc", "gmbh", "ag", "sa",
    "s.a.", "nv", "n.v.", "bv", "b.v.", "ou", "o\u00fc", "as", "oy", "oyj", "srl", "spa", "kg", "sas", "sarl",
    "bhd", "fze", "fzco", "dmcc", "jsc", "pjsc", "llp",
}  # fmt: skip
_SCORER_SUFFIXES = {
    "inc", "ltd", "co", "corp", "corporation", "company", "group", "holding", "holdings",
    "technologies", "technology", "limited", "llc", "plc", "the", "sa", "ag", "ab", "nv", "se",
    "incorporated",
}  # fmt: skip
_UNKNOWN_COMPANY = re.compile(
    r"\b(?:[A-Z][\w&'.-]*\s+){1,6}?(?:[A-Z][\w&'.-]*,?\s+)?"
    r"(?:Co\.,?\s+Ltd\.?|Company\s+Limited|Co\.|Ltd\.?|Limited|Inc\.?|LLC|Corp\.?|Corporation|GmbH|"
    r"PJSC|JSC|PLC|S\.A\.|Pte\.\s+Ltd\.?)(?=\W|$)"
)
_COUNTRY_LABELS = {"GPE"}
_TRAILING_FUNCTION_WORDS = re.compile(r"(?:\s+(?:of|the|and|for|in|on|to))+$")
# Names of documents, programs and funds: "the ... Order", "Universal Service Fund",
# "Temporary General License": legal instruments are never companies.
_DOCUMENT_NAME = re.compile(
    r"\b(?:Order|Act|Rule|Rules|Notice|Determination|List|Programs?|Fund|Docket|Report|Rulemaking|"
    r"Regulations?|Directive|Decision|Law|Bill|Through|No|Licen[cs]es?|Authori[sz]ations?|Exemptions?|"
    r"Waivers?|Permits?|Guidance|Orders?)\.?$"
)
_DETERMINERS = {"the", "a", "an", "its", "their", "his", "her"}
# "Indian Ministry of Information Technology" is a body even though it ends like a company.
_GOVERNMENT_BODY = re.compile(
    r"^(?:[A-Z]\w+\s+){0,2}(?:Ministry|Department|Office|Bureau|Commission|Agency|Directorate|Administration|"
    r"Authority|Council|Board)\s+(?:of|for|on)\s"
)
# Words that describe a regulator without naming it: "Britain's top competition regulator".
_REGULATOR_WORDS = {"regulator", "regulators", "watchdog", "watchdogs"}
# Country words as they modify a regulator, to the gazetteer's country codes.
_COUNTRY_CODES = {
    "britain": "GB", "british": "GB", "uk": "GB", "u.k.": "GB", "kingdom": "GB", "eu": "EU",
    "european": "EU", "union": "EU", "brussels": "EU", "us": "US", "u.s.": "US", "states": "US",
    "american": "US", "washington": "US", "china": "CN", "chinese": "CN", "beijing": "CN",
    "india": "IN", "indian": "IN", "japan": "JP", "japanese": "JP", "korea": "KR", "korean": "KR",
    "russia": "RU", "russian": "RU", "germany": "DE", "german": "DE", "france": "FR", "french": "FR",
    "italy": "IT", "italian": "IT", "ireland": "IE", "irish": "IE", "australia": "AU",
    "australian": "AU", "canada": "CA", "canadian": "CA", "brazil": "BR", "brazilian": "BR",
}  # fmt: skip


def _product_word_after(doc: Doc, last: int) -> bool:
    """A capitalized word the known name modifies, inside a list: a product of its own."""
    if last + 1 >= len(doc):
        return False
    head = doc[last + 1]
    in_list = head.dep_ == "conj" or any(c.dep_ == "conj" for c in head.children)
    continued = last + 2 < len(doc) and (doc[last + 2].text in {"&", "-"} or doc[last + 2].pos_ == "PROPN")
    return (
        not continued  # "Raytheon Missiles & Defense" is a longer name, not a product
        and head.tag_ == "NNP"
        and doc[last].head.i == head.i
        and doc[last].dep_ == "compound"
        and head.pos_ == "PROPN"
        and head.is_title
        and not head.ent_type_
        and head.lower_ not in _LEGAL_WORDS
        and in_list
    )


def normalized_company(name: str) -> str:
    """A company name without legal-form words, as the scorer and merges compare them."""
    words = re.sub(r"[^\w\s]", " ", name.lower()).split()
    kept = [w for w in words if w not in _SCORER_SUFFIXES]
    return " ".join(kept or words)


@dataclass(frozen=True)
class CompanyMention:
    start: int  # token indices in the doc, end exclusive
    end: int
    name: str  # canonical name when known, else as written
    known: bool = True
    weak: bool = False  # an organization that may or may not be a company


@dataclass(frozen=True)
class ActorMention:
    start: int
    end: int
    name: str
    kind: str  # head_of_state, official, agency, legislature, court, country, other
    known: bool = True  # from the gazetteer, not guessed from the NER


class ArticleEntities:
    """Every company, actor and media mention in one parsed article."""

    def __init__(self, doc: Doc, gazetteer: Gazetteer, media: tuple[str, ...] = ()):
        self.doc = doc
        self.parents, self._aliases, self._actor_kinds = _gazetteer_index(gazetteer)
        self._actor_countries = {a.name: a.country for a in gazetteer.actors}
        self._agencies = [a.name for a in gazetteer.actors if a.kind == "agency"]
        # Media come from the caller (the app passes media.json); a bare call still knows the seeded list.
        names = [name.lower() for name in (media or media_from_seed_files())]
        self._media = {*names, *(name.removeprefix("the ") for name in names)}
        self.companies: list[CompanyMention] = []
        self.actors: list[ActorMention] = []
        self.media_tokens: set[int] = set()
        self._read_entities()
        self._read_unknown_companies()
        self.companies.sort(key=lambda m: m.start)
        self.actors.sort(key=lambda m: m.start)
        self.company_at = {i: m for m in self.companies for i in range(m.start, m.end)}
        self.actor_at = {i: m for m in self.actors for i in range(m.start, m.end)}

    # -- reading ---------------------------------------------------------------------------
    def _read_entities(self) -> None:
        for ent in self.doc.ents:
            role, name = split_entity_id(ent.ent_id_)
            if role == "company":
                self.companies.append(self._known_company(ent, name))
            elif role == "actor":
                self.actors.append(ActorMention(ent.start, ent.end, name, self._actor_kinds.get(name, "other")))
            elif role == "media" or ent.text.lower().removeprefix("the ") in self._media:
                self.media_tokens.update(range(ent.start, ent.end))
            elif ent.label_ == "ORG":
                self._read_organization(ent)
            elif ent.label_ == "PERSON":
                self._read_person(ent)
            elif ent.label_ in _COUNTRY_LABELS and _is_subject(ent):
                self.actors.append(ActorMention(ent.start, ent.end, _strip_article(ent.text), "country", known=False))

    def _known_company(self, ent: Span, name: str) -> CompanyMention:
        """The gazetteer's company, or a sister entity when more legal words surround it."""
        start, end = ent.start, ent.end
        doc = self.doc
        while start > 0 and doc[start - 1].text in _LEGAL_PREFIXES:
            start -= 1
        while end < len(doc) and doc[end].text.lower() in _LEGAL_WORDS and not doc[end].ent_type_:
            if doc[end].text == "," and (end + 1 >= len(doc) or doc[end + 1].text.lower() not in _LEGAL_WORDS):
                break
            end += 1
        run = end
        while run < len(doc) and run - end < 3 and doc[run].pos_ == "PROPN" and doc[run].lower_ not in _LEGAL_FORMS:
            run += 1
        if run > end and run < len(doc) and doc[run].lower_ in _LEGAL_FORMS:
            end = run + 1  # "Garantex Europe OU" is a company of its own
        if end == ent.end and _product_word_after(doc, end - 1):
            end += 1  # "TikTok, QQ Mail and UC Browser": the app QQ Mail, not QQ
        if (start, end) != (ent.start, ent.end):
            written = doc[start:end].text.rstrip(", ")
            if normalized_company(written) not in self._aliases.get(name, ()):
                return CompanyMention(start, end, written, known=False)
        return CompanyMention(ent.start, ent.end, name)

    def _read_organization(self, ent: Span) -> None:
        text = _TRAILING_FUNCTION_WORDS.sub("", _strip_article(ent.text)).removesuffix("'s").strip()
        if not text or not text[0].isupper():
            return
        if _DOCUMENT_NAME.search(text) or text.lower() in GENERIC_ACTOR_WORDS:
            return
        if all(word in _SPELLED_FORM_WORDS | _LEGAL_WORDS for word in text.lower().split()):
            return  # "Public Joint Stock Company" before the name it belongs to
        if text in COUNTRY_NAMES:
            self.actors.append(ActorMention(ent.start, ent.end, text, "country", known=False))
            return
        has_legal_form = bool(COMPANY_SUFFIX.search(text) or COMPANY_PREFIX.match(text))
        if _GOVERNMENT_BODY.match(text) or (GOVERNMENT_WORDS.search(text) and not has_legal_form):
            self.actors.append(ActorMention(ent.start, ent.end, text, _government_kind(text), known=False))
        elif text.lower() not in self._media:
            self.companies.append(CompanyMention(ent.start, ent.end, text, known=False, weak=not has_legal_form))

    def _read_person(self, ent: Span) -> None:
        window = self.doc[max(ent.sent.start, ent.start - 4) : ent.end].text
        if _DOCUMENT_NAME.search(ent.text):
            return
        if OFFICIAL_TITLES.search(window):
            name = OFFICIAL_TITLES.sub("", ent.text).strip(" ,.")
            self.actors.append(ActorMention(ent.start, ent.end, name or ent.text, "official", known=False))

    def _read_unknown_companies(self) -> None:
        """Organizations with a legal form that the NER left out or cut short."""
        taken = {i for m in self.companies for i in range(m.start, m.end)}
        taken |= {i for m in self.actors for i in range(m.start, m.end)}
        text = self.doc.text
        for match in _UNKNOWN_COMPANY.finditer(text):
            span = self.doc.char_span(match.start(), match.end(), alignment_mode="contract")
            if span is None or len(span) < 2:
                continue
            while len(span) > 1 and (
                span[0].lower_ in _DETERMINERS or (span[0].is_sent_start and span[0].pos_ != "PROPN")
            ):
                span = span[1:]
            if any(i in taken for i in range(span.start, span.end)) or GOVERNMENT_WORDS.search(span.text):
                continue
            if all(t.lower_ in _SPELLED_FORM_WORDS | _LEGAL_WORDS for t in span):
                continue
            self.companies = [m for m in self.companies if not (m.weak and m.start < span.end and span.start < m.end)]
            self.companies.append(CompanyMention(span.start, span.end, span.text.rstrip(", "), known=False))
            taken.update(range(span.start, span.end))

    # -- questions -------------------------------------------------------------------------
    def companies_in(self, start: int, end: int) -> list[CompanyMention]:
        return [m for m in self.companies if start <= m.start and m.end <= end]

    def actors_in(self, start: int, end: int) -> list[ActorMention]:
        return [m for m in self.actors if start <= m.start and m.end <= end]

    def topic_company(self, before: int | None = None) -> str | None:
        """The known company named most often (up to token `before`), the earliest on a tie."""
        mentions = [m for m in self.companies if m.known and (before is None or m.start < before)]
        if not mentions:
            mentions = [m for m in self.companies if m.known]
        if not mentions:
            return None
        counts = Counter(m.name for m in mentions)
        first = {}
        for m in mentions:
            first.setdefault(m.name, m.start)
        return max(counts, key=lambda name: (counts[name], -first[name]))

    def last_actor(self, before: int, want: str = "any") -> ActorMention | None:
        """The latest actor before token `before` that fits a generic word's wish."""
        for mention in reversed(self.actors):
            if mention.start >= before:
                continue
            if _fits(mention, want):
                return mention
        return None

    def resolve_generic_actor(self, token: Token) -> ActorMention | None:
        """The named actor that "he", "the Commission", "the administration" stand for."""
        word = token.lower_
        if token.pos_ == "PROPN" and token.text in COUNTRY_NAMES and token.i not in self.company_at:
            return ActorMention(token.i, token.i + 1, token.text, "country", known=False)
        if word in {"he", "she", "his", "her"}:
            want = "person"
        elif word in {"it", "its", "they", "their", "we"}:
            want = "body"
        else:
            want = GENERIC_ACTOR_WORDS.get(word, "")
        if not want:
            return None
        if word in _REGULATOR_WORDS:
            named = self._named_regulator(token)
            if named is not None:
                return named
        modifiers = [c for c in token.children if c.dep_ in {"compound", "amod", "nmod"} and c.i < token.i]
        if modifiers and want in {"any", "legislature", "court"} and token.tag_ in {"NNS", "NN"}:
            phrase = self.doc[modifiers[0].left_edge.i : token.i + 1].text  # "U.S. intelligence officials"
            return ActorMention(modifiers[0].left_edge.i, token.i + 1, phrase, _government_kind(phrase), known=False)
        found = self.last_actor(token.i, want)
        if found is None and want not in {"person", "body", "any"}:
            generic = _strip_article(self.doc[_phrase_start(token) : token.i + 1].text)
            return ActorMention(token.i, token.i + 1, generic[:1].upper() + generic[1:], _government_kind(generic))
        return found

    def _named_regulator(self, token: Token) -> ActorMention | None:
        """The body a regulator description stands for: the closest gazetteer agency the article
        names, of the country the phrase gives ("Britain's ... regulator" -> the CMA named later);
        for a country with no body named, its first agency when the phrase says "EU"."""
        countries = {
            _COUNTRY_CODES[t.lower_]
            for t in self.doc[token.left_edge.i : token.i]
            if t.lower_ in _COUNTRY_CODES and (t.lower_ != "us" or t.text == "US")
        }
        named = [
            m
            for m in self.actors
            if m.known
            and self._actor_kinds.get(m.name) == "agency"
            and (not countries or self._actor_countries.get(m.name) in countries)
        ]
        if named:
            closest = min(named, key=lambda m: abs(m.start - token.i))
            return ActorMention(token.i, token.i + 1, closest.name, "agency")
        if countries == {"EU"}:
            first = next((name for name in self._agencies if self._actor_countries.get(name) == "EU"), None)
            if first is not None:
                return ActorMention(token.i, token.i + 1, first, "agency")
        return None

    def is_media(self, i: int) -> bool:
        return i in self.media_tokens


_INDEXES: dict[int, tuple[Gazetteer, tuple]] = {}


def _gazetteer_index(gazetteer: Gazetteer) -> tuple[dict[str, str], dict[str, set[str]], dict[str, str]]:
    """Parents, normalized aliases and actor kinds, built once per gazetteer object."""
    cached = _INDEXES.get(id(gazetteer))
    if cached is not None and cached[0] is gazetteer:
        return cached[1]
    parents = {c.name: c.parent for c in gazetteer.companies if c.parent}
    aliases = {c.name: {normalized_company(form) for form in (c.name, *c.aliases)} for c in gazetteer.companies}
    kinds = {a.name: a.kind for a in gazetteer.actors}
    if len(_INDEXES) > 8:
        _INDEXES.clear()
    _INDEXES[id(gazetteer)] = (gazetteer, (parents, aliases, kinds))  # holding it keeps the id unique
    return parents, aliases, kinds


def _fits(mention: ActorMention, want: str) -> bool:
    if want == "any":
        return True
    if want == "government":
        return mention.kind != "country"
    if want == "person":
        return mention.kind in PERSON_KINDS
    if want == "body":
        return mention.kind not in PERSON_KINDS
    if want in {"head_of_state", "court", "legislature"}:
        return mention.kind == want
    return want.lower() in mention.name.lower()


def _government_kind(text: str) -> str:
    lowered = text.lower()
    if "court" in lowered or "judge" in lowered or "tribunal" in lowered:
        return "court"
    if any(word in lowered for word in ("congress", "senate", "parliament", "house", "lawmakers")):
        return "legislature"
    return "agency"


def _strip_article(text: str) -> str:
    return re.sub(r"^(?:the|The)\s+", "", text.strip())


def _is_subject(ent: Span) -> bool:
    root = ent.root
    return root.dep_ in {"nsubj", "nsubjpass"} or (root.dep_ == "pobj" and root.head.dep_ == "agent")


def _phrase_start(token: Token) -> int:
    start = token.i
    for child in token.lefts:
        if child.dep_ in {"compound", "amod", "det", "poss"}:
            start = min(start, child.left_edge.i)
    return start
