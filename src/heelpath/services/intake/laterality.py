"""Which side a matched finding was found on ("AJ absent L", "pain under my left heel").

The side is read from the match itself, then from the words just after it, then just before it,
never across a clause break: in "SLR +ve R, AJ absent L" each sign keeps its own side.
"""

from __future__ import annotations

from typing import Any, Literal

from heelpath.knowledge.lexicon import SideWords

Side = Literal["left", "right", "both"]

# a side is not read across these: punctuation, contrast and comparison ("R, compared with 15 on the L")
_CLAUSE_BREAKS = frozenset(
    {",", ";", ".", ":", "but", "whereas", "while", "compared", "than", "vs", "versus"}
)
_LOOK_AFTER = 8
_LOOK_BEFORE = 5
_COMPARATORS = frozenset({">", "<", "=", "/"})
_BEFORE_A_SIDE = frozenset(
    {"the", "my", "his", "her", "their", "your", "on", "to", "of", "and", "or", "both"}
)


def token_side(token: Any, words: SideWords) -> Side | None:
    """The side a single token names, or None ("right down my leg" names none)."""
    text = token.text.rstrip(".")  # the tokenizer keeps "R." whole at a sentence end
    lower = text.lower()
    for side in ("left", "right", "both"):
        if lower not in words.by_side[side]:
            continue
        if lower in words.case_sensitive and text != text.upper():
            return None
        if lower == "right" and _is_adverb(token, words):
            return None
        if lower == "both" and _is_a_direction(token):
            return None
        return side
    return None


def _is_a_direction(token: Any) -> bool:
    """ "squeezed from both sides": where a squeeze comes from, not both heels."""
    doc = token.doc
    following = doc[token.i + 1] if token.i + 1 < len(doc) else None
    previous = doc[token.i - 1] if token.i > 0 else None
    return (previous is not None and previous.lower_ == "from" and following is not None
            and following.lower_ in ("sides", "edges"))


def _is_adverb(token: Any, words: SideWords) -> bool:
    """ "right down my leg", "right at the back": "right" as an adverb, not a side."""
    doc = token.doc
    following = doc[token.i + 1] if token.i + 1 < len(doc) else None
    previous = doc[token.i - 1] if token.i > 0 else None
    if previous is not None and previous.lower_ in _BEFORE_A_SIDE:
        return False
    return following is not None and following.lower_ in words.not_a_side_before


def sides_in(tokens: list[Any], words: SideWords) -> list[Side]:
    """Sides named by a run of tokens, in order; "R>L" and "L=R" count as both."""
    found: list[Side] = []
    for i, token in enumerate(tokens):
        side = token_side(token, words)
        if side is None:
            continue
        if (
            found
            and found[-1] != side
            and i >= 2
            and tokens[i - 1].text in _COMPARATORS
            and token_side(tokens[i - 2], words) is not None
        ):
            found[-1] = "both"
            continue
        found.append(side)
    return found


def side_of_span(span: Any, words: SideWords) -> Side | None:
    """The side a matched span refers to, or None when no side is stated near it.

    Parameters
    ----------
    span
        A spaCy ``Span`` (a finding match).
    words
        The lexicon's side words.
    """
    doc = span.doc
    inside = sides_in(list(span), words)
    if inside:
        return "both" if "both" in inside else inside[-1]
    after = _clause_run(doc, span.end, step=1, limit=_LOOK_AFTER)
    found = sides_in(after, words)
    if found:
        return found[0]
    before = _clause_run(doc, span.start - 1, step=-1, limit=_LOOK_BEFORE)
    found = sides_in(list(reversed(before)), words)
    if found:
        return found[-1]
    return None


def _clause_run(doc: Any, start: int, step: int, limit: int) -> list[Any]:
    """Tokens from ``start`` going ``step`` until a clause break, at most ``limit``."""
    run: list[Any] = []
    i = start
    sentence = doc[start].sent if 0 <= start < len(doc) else None
    while 0 <= i < len(doc) and len(run) < limit:
        token = doc[i]
        if token.lower_ in _CLAUSE_BREAKS or (sentence is not None and token.sent != sentence):
            break
        run.append(token)
        i += step
    return run
