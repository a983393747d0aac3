"""Age, sex, which heel, duration and morning stiffness, read from text with the lexicon's patterns.

Plain regular expressions over the text; nothing here needs spaCy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from heelpath.knowledge.lexicon import Demographics, SidePatterns
from heelpath.services.intake.sentences import TEXT_SENTENCE_END

Sex = Literal["female", "male"]
HeelSide = Literal["left", "right", "both"]

_SENTENCE_SPLIT = re.compile(r"(?<!\d)\.(?!\d)|[;!?\n]")
_CLAUSE_SPLIT = re.compile(r",")
_WORD = re.compile(r"[a-z0-9/'’-]+")
_MAX_AGE = 120
_SIDE_NAMES = {"left": "left", "l": "left", "lt": "left", "right": "right", "r": "right", "rt": "right"}


_TRAILING_NOW = frozenset({"this time", "these days"})
# "it's the other foot" names the present complaint; "the other foot aches too" is another one
_OTHER_ONE = re.compile(r"\b(?:it['’]s|it is) (?:now )?(?:in )?the other (?:foot|heel|one|side)\b(?! (?:too|as well|also))",
                        re.IGNORECASE)
_OPPOSITE = {"left": "right", "right": "left"}
# a side denied while another is named ("Not the left heel, the right one")
_DENIED_SIDE = re.compile(r"(?:(?:^|[.,;:!?]\s*|\bit(?:['’]?s| is)\s+)not|\bit isn['’]?t)\s+(?:in\s+|on\s+)?"
                          r"(?:the\s+|my\s+|his\s+|her\s+)?$", re.IGNORECASE)
_JOINS_IN = re.compile(r"\b(?:too|as well|also|the same way|doing it|going the same)\b", re.IGNORECASE)
_OTHER = re.compile(r"\bthe other (?:foot|heel|one|side)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Stated:
    """A value read from the text, with where it was found."""

    value: float | str
    start: int
    end: int


def parse_number(text: str, number_words: dict[str, float]) -> float | None:
    """A number written in digits or words ("3", "2.5", "sixty-two", "a couple of", "an").

    Examples
    --------
    >>> parse_number("sixty-two", {"sixty": 60, "two": 2})
    62.0
    >>> parse_number("3", {})
    3.0
    """
    cleaned = " ".join(text.lower().split())
    try:
        return float(cleaned)
    except ValueError:
        pass
    if cleaned in number_words:
        return number_words[cleaned]
    parts = re.split(r"[- ]", cleaned)
    if parts and all(p in number_words for p in parts):
        return float(sum(number_words[p] for p in parts))
    return None


def find_age(text: str, demo: Demographics) -> Stated | None:
    """The first stated age in years (0-120), or None; an age about to be reached ("turning 50 on
    Saturday", a ``turning`` group) is the year before it."""
    best: Stated | None = None
    for pattern in demo.age:
        turning = "turning" in pattern.groupindex
        for match in pattern.finditer(text):
            value = parse_number(match.group("turning" if turning else "age"), demo.number_words)
            if value is not None and turning:
                value -= 1
            if value is None or not 0 <= value <= _MAX_AGE or _is_reading(text, match.span("turning" if turning else "age")):
                continue
            if best is None or match.start() < best.start:
                best = Stated(int(value), match.start(), match.end())
            break
    return best


_TEMPERATURE_BEFORE = re.compile(r"\b(?:temp(?:erature)?s?|fever|thermometer)\b[^.!?\n]*$", re.IGNORECASE)


def _is_reading(text: str, span: tuple[int, int]) -> bool:
    """Whether the digits at `span` are part of a decimal number ("101.5 F" and "I'm 38.5" are temperatures) or
    follow a temperature in their sentence ("temperature was 99 F this morning and 102 F tonight")."""
    start, end = span
    before = text[max(start - 60, 0):start]
    return bool(re.match(r"\d[.,]", text[max(start - 2, 0):start]) or re.match(r"[.,]\d", text[end:end + 2])
                or _TEMPERATURE_BEFORE.search(before))


@dataclass(frozen=True)
class Proxy:
    """A text written for a relative: the relation word as written (lower case) and their age if given."""

    relation: str
    age: int | None


def find_proxy(text: str, demo: Demographics) -> Proxy | None:
    """Whether the text is written for a relative ("asking for my husband", "my nan (86) has ...", a text that opens
    "Mum has been confused since yesterday" and tells no complaint of the writer's own).

    >>> import heelpath
    >>> demo = heelpath.load().lexicon.demographics
    >>> find_proxy("My daughter is 9. She cut her heel on glass.", demo)
    Proxy(relation='daughter', age=9)
    >>> find_proxy("My dad is 60 and has AS. I've got sore heels.", demo) is None
    True
    """
    proxy = demo.proxy
    for pattern in proxy.explicit:
        match = pattern.search(text)
        if match:  # "Ringing for my mum, who's 79": their age, if given
            relation = match["relation"].lower()
            aged = next((p for p in _relatives_with_age(text, demo) if p.relation == relation), None)
            return Proxy(relation, aged.age if aged else None)
    if any(pattern.search(text) for pattern in proxy.self):
        return None
    aged = next(iter(_relatives_with_age(text, demo)), None)  # "I'm 41 and my daughter, 11, has sore heels"
    if aged:
        return aged
    if any(pattern.search(text) for pattern in proxy.writer_age):
        return None
    for pattern in proxy.opening:
        match = pattern.search(text)
        if match:
            return Proxy(match["relation"].lower(), None)
    return None


def _relatives_with_age(text: str, demo: Demographics) -> list[Proxy]:
    """The relatives the text gives an age, in the order of the lexicon's patterns."""
    found = []
    for pattern in demo.proxy.with_age:
        match = pattern.search(text)
        age = parse_number(match["age"], demo.number_words) if match else None  # "Our son, nine, plays rugby"
        if match and age is not None and 0 <= age <= _MAX_AGE:
            found.append(Proxy(match["relation"].lower(), int(age)))
    return found


def writer_age(text: str, demo: Demographics) -> Stated | None:
    """The age the writer gives of themselves ("I'm 44"): in a text of their own complaint, theirs before a relative's
    named first ("My daughter is 14 and I'm 44; it's me with the heel pain")."""
    for pattern in demo.proxy.writer_age:
        for match in pattern.finditer(text):
            value = parse_number(match["age"], demo.number_words)
            if value is not None and 0 <= value <= _MAX_AGE and not _is_reading(text, match.span("age")):
                return Stated(int(value), match.start(), match.end())
    return None


def pronoun_sex(text: str, demo: Demographics) -> Stated | None:
    """The sex of the first "he" or "she" (his, her, ...) that stands for the patient: not for a clinician or
    someone else named earlier in its sentence ("the GP said she ..."), nor for a relative of that sex named there ("my
    gran lost her leg"). Used for a text about someone else, where it is the patient's.

    >>> import heelpath
    >>> demo = heelpath.load().lexicon.demographics
    >>> pronoun_sex("Asking for my partner, he's 48, pain at the back of his heel.", demo).value
    'male'
    >>> pronoun_sex("Wife here typing for him - his heel is red.", demo).value
    'male'
    >>> pronoun_sex("The nurse said she would ring back. Her heel is black.", demo).value
    'female'
    """
    proxy = demo.proxy
    pronouns = _words_pattern(tuple(sorted(proxy.pronoun_sex)))
    if pronouns is None:
        return None
    relatives = {sex: _words_pattern(tuple(sorted(w for w, s in proxy.sex_of_relation.items() if s == sex)))
                 for sex in ("female", "male")}
    for match in pronouns.finditer(text):
        sex = proxy.pronoun_sex[match.group(1).lower()]
        start = max((m.end() for m in TEXT_SENTENCE_END.finditer(text, max(match.start() - 300, 0), match.start())),
                    default=max(match.start() - 300, 0))
        named_before = (proxy.pronoun_of_others, relatives[sex])  # someone else, or a relative of this sex
        if any(pattern and pattern.search(text, start, match.start()) for pattern in named_before):
            continue
        return Stated(sex, match.start(), match.end())
    return None


@lru_cache(maxsize=8)
def _words_pattern(words: tuple[str, ...], before: str = "") -> re.Pattern[str] | None:
    """One of `words` as a whole word (group 1), after `before`; compiled once per lexicon."""
    return re.compile(before + r"\b(" + "|".join(map(re.escape, words)) + r")\b", re.IGNORECASE) if words else None


def speaks_of_self(text: str, demo: Demographics) -> bool:
    """Whether the writer tells a complaint of their own ("I've got sore heels", "my back").

    >>> import heelpath
    >>> demo = heelpath.load().lexicon.demographics
    >>> speaks_of_self("My husband has sciatica. I just have heel pain.", demo)
    True
    >>> speaks_of_self("My husband has sciatica and can't feel his bum.", demo)
    False
    """
    return any(pattern.search(text) for patterns in (demo.proxy.self, demo.proxy.writer_age) for pattern in patterns)


def find_sex(text: str, demo: Demographics, own: bool = False) -> Stated | None:
    """The first stated sex ("female" or "male"), or None; in a text of the writer's ``own`` complaint, not one
    said in words naming a relative ("My daughter is 14 and I'm 44; it's me with the heel pain")."""
    relatives = _words_pattern(tuple(sorted(demo.proxy.sex_of_relation)), r"\b(?:my|our)\s+") if own else None
    best: Stated | None = None
    for sex, patterns in demo.sex.items():
        for pattern in patterns:
            # a number with F or M after a temperature is a reading, not an age and sex ("102 F tonight")
            match = next((m for m in pattern.finditer(text)
                          if not (m.group(0)[:1].isdigit() and _is_reading(text, m.span()))
                          and not (relatives and relatives.search(m.group(0)))), None)
            if match and (best is None or match.start() < best.start):
                best = Stated(sex, match.start(), match.end())
    return best


def find_side(text: str, patterns: SidePatterns) -> Stated | None:
    """The side `patterns` find: "both" if both are named, else the first side named (see `find_side_now`
    for a side told for the present complaint after an old one)."""
    return _first_side(text, patterns, 0, len(text))


def find_side_now(text: str, patterns: SidePatterns) -> Stated | None:
    """The side named for the present complaint after an old one, in the sentence that tells it: after
    "now" ("Both heels at first, now it's just the left one"), after or else just before a "this time"
    ("It's in the left heel this time"), or "it's the other foot" after a side named before."""
    if not patterns.now:
        return None
    for cue in reversed(list(patterns.now.finditer(text))):  # the latest telling of the present
        start = max((m.end() for m in TEXT_SENTENCE_END.finditer(text, 0, cue.start())), default=0)
        end_match = TEXT_SENTENCE_END.search(text, cue.end())
        end = end_match.start() if end_match else len(text)
        side = _first_side(text, patterns, cue.end(), end)
        if side is None and cue.group(0).lower().strip() in _TRAILING_NOW:
            side = _last_side(text, patterns, start, cue.start())
        before = _first_side(text, patterns, 0, cue.start())
        # the other side joining in ("Started with the left heel, now the right heel too"): both
        if before and before.value in _OPPOSITE and _JOINS_IN.search(text, cue.end(), end) and (
                (side and side.value == _OPPOSITE[str(before.value)]) or (side is None and _OTHER.search(text, cue.end(), end))):
            return Stated("both", cue.start(), end)
        if side:
            return side
        if _OTHER_ONE.search(text, start, end) and before and before.value in _OPPOSITE:
            return Stated(_OPPOSITE[str(before.value)], cue.start(), end)
    return None


def _last_side(text: str, patterns: SidePatterns, start: int, end: int) -> Stated | None:
    """The side named last between `start` and `end` (the one nearest a trailing "this time")."""
    return max(_sides_named(text, patterns, start, end), key=lambda stated: stated.start, default=None)


def _first_side(text: str, patterns: SidePatterns, start: int, end: int) -> Stated | None:
    """"both" if both are named between `start` and `end`, else the first side named there."""
    named = _sides_named(text, patterns, start, end)
    both = [stated for stated in named if stated.value == "both"]
    return min(both or named, key=lambda stated: stated.start, default=None)


def _sides_named(text: str, patterns: SidePatterns, start: int, end: int) -> list[Stated]:
    named = [Stated("both", m.start(), m.end()) for pattern in patterns.both for m in pattern.finditer(text, start, end)]
    named += [Stated(side, m.start(), m.end()) for pattern in patterns.sided for m in pattern.finditer(text, start, end)
              if (side := _SIDE_NAMES.get(m.group("side").lower()))]
    return [stated for stated in named if not _DENIED_SIDE.search(text, max(0, stated.start - 20), stated.start)]


def find_duration_weeks(text: str, demo: Demographics) -> Stated | None:
    """How long the complaint has lasted, in weeks (one decimal), or None.

    A number with a unit counts only in a sentence about the complaint and in a clause that names
    nothing else it could be the duration of ("diabetic for 15 years", "review in 2/52").
    """
    spec = demo.duration
    candidates: list[Stated] = []
    for pattern in spec.patterns:
        for match in pattern.finditer(text):
            weeks = _weeks(match, demo)
            if weeks is None or any(
                c.start <= match.start() < c.end or match.start() <= c.start < match.end() for c in candidates
            ):
                continue
            if _duration_context_ok(text, match.start(), match.end(), demo):
                candidates.append(Stated(round(weeks, 1), match.start(), match.end()))
    return min(candidates, key=lambda c: c.start) if candidates else None


def find_morning_stiffness_minutes(text: str, demo: Demographics) -> Stated | None:
    """Minutes of morning stiffness when stated with a number, or None."""
    for pattern in demo.stiffness:
        for match in pattern.finditer(text):
            sentence = _around(text, match.start(), match.end(), _SENTENCE_SPLIT).lower()
            if not any(word in sentence for word in demo.morning_words):
                continue
            amount = parse_number(match.group("n"), demo.number_words)
            if amount is None:
                continue
            minutes = amount * 60 if match.group("unit").lower().startswith("h") else amount
            return Stated(round(minutes), match.start(), match.end())
    return None


def _weeks(match: re.Match[str], demo: Demographics) -> float | None:
    groups = match.groupdict()
    if "n" not in groups:
        amount: float | None = 1.0  # "for the past year"
    else:
        amount = parse_number(groups["n"], demo.number_words) if groups["n"] else None
    if amount is None:
        return None
    if groups.get("fraction"):
        return amount * demo.duration.fraction_weeks[groups["fraction"]]
    unit = (groups.get("unit") or "").lower()
    return amount * demo.duration.unit_weeks[unit] if unit in demo.duration.unit_weeks else None


def _duration_context_ok(text: str, start: int, end: int, demo: Demographics) -> bool:
    spec = demo.duration
    sentence_words = set(_WORD.findall(_around(text, start, end, _SENTENCE_SPLIT).lower()))
    if not sentence_words & spec.context_words:
        return False
    clause = _around(text, start, end, _SENTENCE_SPLIT, _CLAUSE_SPLIT).lower()
    clause_words = set(_WORD.findall(clause))
    if clause_words & (spec.exclude_words - {"ago"}):
        return False
    # "3 weeks ago" dates something; it is the complaint's duration only if the clause says it started
    return not (text[end:].lstrip().lower().startswith("ago") and not clause_words & spec.ago_allowed_with)


_AROUND_REACH = 500  # characters searched on each side: a sentence is shorter, and the cost stays linear


def _around(text: str, start: int, end: int, *splitters: re.Pattern[str]) -> str:
    """The stretch of text around [start, end) bounded by any of the splitter patterns (at most
    `_AROUND_REACH` characters each side)."""
    left, right = max(0, start - _AROUND_REACH), min(len(text), end + _AROUND_REACH)
    low, high = left, right
    for splitter in splitters:
        for match in splitter.finditer(text, low, high):
            if match.end() <= start:
                left = max(left, match.end())
            elif match.start() >= end:
                right = min(right, match.start())
                break
    return text[left:right]
