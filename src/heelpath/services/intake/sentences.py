"""Sentence boundaries for clinic notes and lay text: a small rule-based splitter.

A sentence ends after a full stop, exclamation mark or semicolon, after a question mark followed by
a space, and at a line break unless the next line runs on in lower case (a wrapped sentence). A
question mark stuck to the next word ("?reduced AJ R") is clinical shorthand for "query" and does
not end a sentence. A side letter with its full stop ("tarsal tunnel R.") is one token but ends the
sentence. An emoji ends one too: texted messages put it where a full stop would go ("not my achilles
🙄 pain shoots from my lower back"). ConText scopes never cross a sentence end.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

COMPONENT_NAME = "heelpath_sentences"
#: a sentence's end in plain text, where no tokens are at hand ("(e.g. prednisolone)" runs on)
TEXT_SENTENCE_END = re.compile(r"(?<!\be\.g)(?<!\bi\.e)(?<!\betc)[.!?;\n]+\s*")
_ENDS = frozenset({".", "!", ";"})
_SIDE_LETTERS_WITH_STOP = frozenset({"L.", "R.", "Lt.", "Rt."})
_EMOJI_CATEGORIES = frozenset({"So", "Sk", "Mn", "Cf"})  # symbol, skin tone, variation selector, joiner
_GO_ON_AFTER = frozenset({"no", "not", "nil", "never", "denies", "denied", "without", "and", "or", "nor", ",", "-"})


def ends_sentence(token: Any) -> bool:
    """Whether a sentence ends after this token."""
    text = token.text
    if text in _ENDS or text in _SIDE_LETTERS_WITH_STOP:
        return True
    if is_emoji(text):  # not inside a denial or a list ("No 🙅 numbness down below")
        return token.i == 0 or token.doc[token.i - 1].lower_ not in _GO_ON_AFTER
    if text == "?":
        return bool(token.whitespace_) or token.i + 1 == len(token.doc)
    if "\n" in text or "\n" in token.whitespace_:
        following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
        wrapped = (
            following is not None and following.text[:1].islower() and "\n\n" not in text + token.whitespace_
        )
        return not wrapped
    return False


def is_emoji(text: str) -> bool:
    """Whether a token is a picture symbol (with its joiners, variation selectors and skin tones); the
    degree sign is a symbol too, but part of a temperature."""
    categories = {unicodedata.category(c) for c in text if c != "°"}
    return "So" in categories and categories <= _EMOJI_CATEGORIES


def mark_sentences(doc: Any) -> Any:
    """Set ``is_sent_start`` on every token of a spaCy ``Doc``; returns the doc."""
    for token in doc:
        token.is_sent_start = token.i == 0 or ends_sentence(doc[token.i - 1])
    return doc


def register() -> None:
    """Register :func:`mark_sentences` as a spaCy pipeline component (once per process)."""
    from spacy.language import Language

    if not Language.has_factory(COMPONENT_NAME):
        Language.component(COMPONENT_NAME, func=mark_sentences)
