"""Trigger words in a parsed sentence, filtered and grouped into events.

Promises:
- `find_triggers(sentence)` returns the lexicon's matches that name an act here: a trigger
  under "whether", negated, governed by a verb that suspends it ("delay the enforcement of a
  ban"), cited as a legal basis ("under the ... Act") or as a fronted reference ("Consistent
  with the Order, ...") is left out;
- `group_by_clause(triggers)` puts triggers of one predicate together: a clause whose subject
  is a pronoun or missing belongs to the clause above it, so "Trump was asked if he would
  consider banning ..." is one event, while "the Pentagon announced it would ban" next to
  "officials advised" stays apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from .lexicon import (
    BACKGROUND_PREPOSITIONS,
    LEGAL_BASIS_WORDS,
    SPEECH_LEMMAS,
    SUSPENDING_LEMMAS,
    TRIGGER_PATTERN,
    TRIGGER_PREFIXES,
    TRIGGER_TYPES,
    WEAK_TRIGGER_WORDS,
)

SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj", "expl"}
_PRONOUN_SUBJECTS = {"he", "she", "it", "they", "we", "i", "you", "that", "which", "who"}
_CITABLE_TYPES = {"legislation", "executive_order", "regulation"}
_SUSPENDING_NOUNS = {"enforcement", "implementation", "legality", "status", "delay", "suspension", "repeal"}
_NEEDED_WORDS = {"necessary", "needed", "warranted", "justified", "essential", "required", "unavoidable"}
_FRONT_REFERENCE_WORDS = {"in", "under", "consistent", "pursuant", "according", "per", "following", "after", "since"}


@dataclass(frozen=True)
class Trigger:
    action_type: str
    token: Token  # the syntactic head of the matched words
    text: str

    @property
    def weak(self) -> bool:
        return self.token.lower_ in WEAK_TRIGGER_WORDS or self.text.lower() in WEAK_TRIGGER_WORDS


def find_triggers(sentence: Span) -> list[Trigger]:
    """Lexicon matches in the sentence that name an act, one per token."""
    found: dict[int, Trigger] = {}
    base = sentence.start_char
    text = sentence.text
    for candidate in sentence:
        if not candidate.lower_.startswith(TRIGGER_PREFIXES):
            continue
        match = TRIGGER_PATTERN.match(text, candidate.idx - base)
        if match is None:
            continue
        action_type = TRIGGER_TYPES[int(match.lastgroup[1:])]
        span = sentence.doc.char_span(base + match.start(), base + match.end(), alignment_mode="expand")
        if span is None:
            continue
        token = span.root
        previous = found.get(token.i)
        if previous is None or len(match.group()) > len(previous.text):
            found[token.i] = Trigger(action_type, token, match.group())
    kept = [t for t in sorted(found.values(), key=lambda t: t.token.i) if _names_an_act(t, sentence)]
    return kept


def _names_an_act(trigger: Trigger, sentence: Span) -> bool:
    token = trigger.token
    if any(child.dep_ == "neg" for child in token.children) and token.pos_ in {"VERB", "AUX"}:
        return False
    if token.lower_ in {"fine", "fines"} and token.pos_ not in {"NOUN", "VERB", "PROPN"}:
        return False  # "a fine line"
    if trigger.action_type == "legislation" and not _legislation_in_role(trigger):
        return False
    plain_order = trigger.action_type == "executive_order" and token.lower_.startswith("order") and token.pos_ == "NOUN"
    if plain_order and not (token.text[0].isupper() or _has_possessor(token) or "executive" in trigger.text.lower()):
        return token.lower_ == "orders" and token.head.lemma_ not in {"follow", "take"}
    if _under(token, sentence, lambda t: t.lower_ == "whether" and t.dep_ == "mark"):
        return False
    if _suspended(token) or _only_judged_needed(token):
        return False
    cited = trigger.action_type in _CITABLE_TYPES and _cited_as_basis(token)  # not "under investigation"
    return not (cited or _fronted_reference(token, sentence))


def _only_judged_needed(token: Token) -> bool:
    """'divestiture is necessary': an act judged needed is not yet taken."""
    if token.dep_ != "nsubj" or token.pos_ not in {"NOUN", "PROPN"} or token.head.lemma_ != "be":
        return False
    return any(c.dep_ == "acomp" and c.lower_ in _NEEDED_WORDS for c in token.head.children)


def _legislation_in_role(trigger: Trigger) -> bool:
    """A law is an act when it is enacted, takes effect or does something, not when cited."""
    token = trigger.token
    if token.pos_ == "VERB" or "signed" in trigger.text.lower():
        return True
    if token.dep_ in {"nsubj", "nsubjpass"}:
        return True
    if token.dep_ == "dobj" and token.head.lemma_ in {"pass", "sign", "enact", "approve", "adopt", "introduce", "vote"}:
        return True
    return token.dep_ == "pobj" and token.head.lower_ in {"before", "after"} and token.head.head.pos_ == "VERB"


def _has_possessor(token: Token) -> bool:
    return any(child.dep_ == "poss" for child in token.children)


def _under(token: Token, sentence: Span, test) -> bool:
    """Whether `test` holds for a child of the token or of any ancestor within the sentence."""
    node = token
    while True:
        if any(test(child) for child in node.children):
            return True
        if node.head.i == node.i or node.head.i < sentence.start or node.head.i >= sentence.end:
            return False
        node = node.head


def _suspended(token: Token) -> bool:
    """Governed by a verb or noun that delays, lifts, fights or merely weighs it."""
    if token.pos_ in {"VERB", "AUX"} and any(c.dep_ in {"nsubj", "nsubjpass"} for c in token.children):
        return False  # a clause of its own: "the Commerce Department banned TikTok, so ..."
    node = token
    while node.head.i != node.i:
        came_as = node.dep_
        node = node.head
        if node.pos_ in {"VERB", "AUX"} and node.lemma_ in SUSPENDING_LEMMAS:
            return True
        negated = any(child.dep_ == "neg" for child in node.children)
        if node.pos_ in {"VERB", "AUX"} and negated and came_as not in SUBJECT_DEPS:
            return True  # "not enforce the law"
        if node.pos_ == "NOUN" and node.lower_ in _SUSPENDING_NOUNS:
            return True
        has_subject = any(child.dep_ in SUBJECT_DEPS for child in node.children)
        if node.pos_ in {"VERB", "AUX"} and has_subject and not _pronoun_subject(node):
            return False
    return False


def head_within_clause(token: Token, words: set[str] | frozenset[str], *, steps: int) -> bool:
    """Whether one of `words` governs `token` within `steps` heads, before the parse reaches a verb."""
    node = token
    for _ in range(steps):
        if node.head.i == node.i:
            return False
        node = node.head
        if node.lower_ in words:
            return True
        if node.pos_ in {"VERB", "AUX"}:
            return False
    return False


def _cited_as_basis(token: Token) -> bool:
    """'under the International Emergency Economic Powers Act', 'pursuant to the Order'."""
    return head_within_clause(token, LEGAL_BASIS_WORDS, steps=4)


def _fronted_reference(token: Token, sentence: Span) -> bool:
    """A noun trigger inside an opening phrase: 'In the ... Order, the Commission designated'."""
    if token.pos_ not in {"NOUN", "PROPN"}:
        return False
    first = sentence.doc[sentence.start]
    if first.lower_ not in _FRONT_REFERENCE_WORDS:
        return False
    comma = next((t.i for t in sentence if t.text in {",", ";"}), sentence.end)
    return token.i < comma  # the trigger sits in the phrase the sentence opens with


def likeness_label(like: Token) -> bool:
    """A label, not a comparison: 'like' right after a name and ending in one ("Twitter like app Weibo")."""
    objects = [c for c in like.children if c.dep_ == "pobj"]
    return (
        like.lower_ == "like"
        and like.i > 0
        and like.doc[like.i - 1].pos_ == "PROPN"
        and bool(objects)
        and objects[0].pos_ == "PROPN"
    )


def in_background_phrase(token: Token) -> bool:
    """Inside 'following his latest move against ...', 'after ...', 'amid ...'."""
    node = token
    while node.head.i != node.i:
        if node.dep_ in {"prep", "mark"} and node.lower_ in BACKGROUND_PREPOSITIONS and not likeness_label(node):
            return True
        if node.pos_ == "VERB" and node.lower_ == "following" and node.dep_ == "prep":
            return True
        node = node.head
    return False


def _pronoun_subject(verb: Token) -> bool:
    subjects = [child for child in verb.children if child.dep_ in SUBJECT_DEPS]
    return not subjects or all(s.lower_ in _PRONOUN_SUBJECTS for s in subjects)


def clause_head(token: Token) -> Token:
    """The predicate that owns the token: the nearest verb with a subject of its own."""
    node = token
    while True:
        if node.pos_ in {"VERB", "AUX"} and (node.dep_ == "ROOT" or any(c.dep_ in SUBJECT_DEPS for c in node.children)):
            break
        if node.head.i == node.i:
            break
        if node.dep_ == "conj" and node.pos_ in {"VERB", "AUX"}:
            break  # joined to its first verb by group_by_clause when that verb is a trigger too
        node = node.head
    # a clause with a pronoun or no subject reports or extends the clause above it
    while node.head.i != node.i and node.dep_ in {"ccomp", "xcomp", "advcl", "relcl", "acl", "pcomp"}:
        if not _pronoun_subject(node):
            break
        parent = clause_head(node.head) if node.head.i != node.i else node
        if parent.i == node.i:
            break
        node = parent
    return node


def group_by_clause(triggers: list[Trigger]) -> dict[int, list[Trigger]]:
    """Triggers keyed by the token index of their clause head."""
    heads = {trigger.token.i: clause_head(trigger.token) for trigger in triggers}
    anchors = {head.i for head in heads.values()}
    groups: dict[int, list[Trigger]] = {}
    for trigger in triggers:
        head = heads[trigger.token.i]
        # "fined Google ... and ordered it to stop": one decision, unless another actor is named
        joined = head.dep_ == "conj" and not any(c.dep_ in {"agent", "nsubj", "nsubjpass"} for c in head.children)
        if joined and head.head.i in anchors:
            head = head.head
        groups.setdefault(head.i, []).append(trigger)
    return groups


def subject_of(verb: Token) -> Token | None:
    """The verb's subject, or for a verb conjoined to another, the first verb's subject."""
    node = verb
    for _ in range(3):
        for child in node.children:
            if child.dep_ in {"nsubj", "nsubjpass"}:
                return child
        if node.dep_ == "conj" and node.head.i != node.i:
            node = node.head
        else:
            break
    return None


def agent_of(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "agent":
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    return grandchild
    return None


def speech_verb_above(token: Token) -> Token | None:
    """The reporting verb whose complement holds the token ('X said it will prohibit ...')."""
    node = token
    while node.head.i != node.i:
        if node.dep_ in {"ccomp", "parataxis"} and node.head.lemma_ in SPEECH_LEMMAS:
            return node.head
        node = node.head
        if node.pos_ in {"VERB", "AUX"} and node.lemma_ in SPEECH_LEMMAS:
            return node
    return None
