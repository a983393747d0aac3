"""Turn free text into findings: run the pipeline, settle overlaps, read context, sides and numbers."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from heelpath.errors import InputError
from heelpath.knowledge.lexicon import Lexicon, SidePatterns
from heelpath.services.intake.answers import AnsweredQuestion, answered_questions
from heelpath.services.intake.demographics import (
    Stated,
    find_age,
    find_duration_weeks,
    find_morning_stiffness_minutes,
    find_proxy,
    find_sex,
    find_side,
    find_side_now,
    pronoun_sex,
    speaks_of_self,
    writer_age,
)
from heelpath.services.intake.laterality import side_of_span
from heelpath.services.intake.model import ExtractedFinding, Modifier, TextIntake
from heelpath.services.intake.pipeline import FAMILY_DISEASE, SPAN_GROUP, TOPIC_GROUP, get_pipeline
from heelpath.services.intake.sentences import TEXT_SENTENCE_END
from heelpath.services.intake.statistical import model_findings

MAX_TEXT_LENGTH = 20000  # as for a case's `text` field
# The pipeline reads a long text in blocks of about this many characters, cut after a sentence or a
# line: ConText pairs every modifier with every target of a document, so one long document costs the
# square of its length; ConText scopes end at a sentence, so blocks change no reading.
BLOCK_CHARS = 1500
_BLOCK_ENDS = ("\n", ". ", "! ", "? ", "; ")
_KIND_RANK = {"absent": 0, "present": 1, "mention": 2, FAMILY_DISEASE: 3}  # lower wins a tie
_UNCERTAIN = frozenset({"POSSIBLE_EXISTENCE", "HYPOTHETICAL"})
_LIST_WORDS = re.compile(r"\b(?:or|nor|and)\b|[&/+]", re.IGNORECASE)
# a finding so modified is not said of the patient now, so nothing is said beside it ("I had foot drop in 2019. Heel
# pain worse every day", "If my legs go weak I'll come in")
_NOT_SAID = frozenset({"NEGATED_EXISTENCE", "HISTORICAL", "FAMILY", "OTHER_PERSON", "ANIMAL", "WARNING_LIST"}) | _UNCERTAIN
# "he" and "she" are the patient in a text written for a relative, and someone else where the writer is the patient
_PATIENT_PRONOUNS = ("he", "she", "he's", "she's", "he’s", "she’s")
# a match running on into a clause that says the sign in denying words ("poo in a week and can't feel"): a denial
# before the match belongs to its first clause ("I haven't been for a poo in a week and can't feel when I need to"),
# so the sign is asked
_OWN_DENIAL = re.compile(r"(?:,|\b(?:and|but|so|then|plus))\s+(?:\w+\s+)?(?:can['’]?t|cannot|couldn['’]?t|\w+n['’]t|"
                         r"not|never|no longer|unable)\b", re.IGNORECASE)
# a denial of an ability or a view, which may tell a sign rather than deny it
# a denial of the time before now: "never had X before", "not until this week", "normally I'm never thirsty"
_BEFORE_NOW = re.compile(r"^\W*(?:[\w'’]+\W+){0,2}?(?:before\b(?!\s+(?:that|the|my|i|it)\b)|till now|until now|until recently|"
                         r"until (?:this|last) \w+|in my life|previously)", re.IGNORECASE)
_BUT_NOW = re.compile(r"\bbut (?:now|since|lately|recently|today|tonight|suddenly|this (?:week|morning|month))\b", re.IGNORECASE)
_ASKS_MEANING = re.compile(
    r"\b(?:is (?:it|this|that) (?:normal|serious|bad|ok|okay|worrying|dangerous|urgent|an emergency|a worry|something to "
    r"worry about)|should i (?:be )?(?:worr\w*|concerned)|do i need to (?:worry|be worried)|why (?:do|does|is|am|are|"
    r"can['’]?t|won['’]?t|has|have)|(?:be|is|are|means?) (?:something |anything )?(?:serious|dangerous|worrying|urgent|an "
    r"emergency|a (?:worry|problem|red flag)))\b[^?\n]*\?", re.IGNORECASE)
# a denial with its exception straight after the sign: "no numbness anywhere except my toes" says where it is
_EXCEPTED = re.compile(r"^\W*(?:(?:anywhere|at all|really|else)\s+)?(?:except|apart from|other than|besides|bar|save for|but for)\b",
                       re.IGNORECASE)
# a normal told up to a time: "my legs were fine until Monday", "warm and pink till an hour ago" tell a change
_UNTIL = re.compile(r"^\W*(?:until|till|til|up to|up until|right up to)\b", re.IGNORECASE)
_NOW_REACH = 200  # characters after (and before) a denial searched for its "now"
_NOW = re.compile(r"\b(?:now|any ?more|these days|nowadays|at the moment)\b", re.IGNORECASE)
_USUALLY = re.compile(r"\b(?:normally|usually|ordinarily)\b", re.IGNORECASE)
_DENIED_ABILITY = re.compile(r"^\W*(?:\w+\s*)?(?:\w*n['’]t|can ?not|not|never|unable)\s+"
                             r"(?:\w+\s+)?(?:been\s+)?(?:able to|think|say|seem to|manage to|quench|get to)\b", re.IGNORECASE)
# a cue that opens a list of conditions itself, and punctuation that opens one after a cue
_OPENS_CONDITIONS = re.compile(r"\bif\b|\b(?:says?|said|lists?|warns?|tells you|for|should|about|whether|mentions)$",
                               re.IGNORECASE)
_LIST_OPENERS = frozenset({":", "-", "–", "—", "=", "if"})
_Sentences = frozenset[tuple[int, int]]  # sentences as (id of their doc, first token)


@dataclass(frozen=True)
class _Match:
    span: Any
    finding_id: str
    kind: str
    offset: int  # where the span's block starts in the text

    @property
    def length(self) -> int:
        return self.span.end - self.span.start

    @property
    def start(self) -> int:
        return self.offset + self.span.start_char

    @property
    def end(self) -> int:
        return self.offset + self.span.end_char


# what joins the things a label names ("Numbness or tingling?", "Fever/chills?", "bladder, bowels?")
_LISTED = re.compile(r"\b(?:or|and|nor|your|you)\b|[/,&+]", re.IGNORECASE)
# ...and the words a label may end with after what it names ("bladder or bowel changes?", "Bladder function: normal")
_LABEL_TAIL = re.compile(r"(?:\s|\b(?:changes?|problems?|trouble|issues?|control|function(?:ing)?|ok|okay|working|"
                         r"normal(?:ly)?|sensation|feeling|symptoms?|habits?|now|today)\b)*", re.IGNORECASE)


def extract(text: str, lexicon: Lexicon, statistical: bool = True) -> TextIntake:
    """Read findings, age, sex, heel side, duration and morning stiffness from free text.

    A question the text answers itself gives its answer ("Any fever? No", "Answer: None of these");
    a text written for a relative ("asking for my husband", "my nan (86) has...") is about that
    relative, whose words are then not family history.

    Parameters
    ----------
    text
        A lay description ("my heel hurts when I get out of bed, no tingling") or a clinic note
        ("SLR +ve 40 deg R, AJ absent L, Thompson neg"), up to 20,000 characters.
    lexicon
        The lexicon to read it with (``heelpath.load().lexicon``).
    statistical
        Whether the lexicon's statistical reader fills what the rules leave unread (False: the rules alone).

    Returns
    -------
    TextIntake
        Every finding mention with its modifier and side, and the case answers they give
        (``to_case_findings()``). ``unmatched`` is True when nothing usable was found.

    Raises
    ------
    heelpath.InputError
        ``text`` is not a string, or is longer than 20,000 characters.
    """
    if not isinstance(text, str):
        raise InputError(f"text must be a string, got {type(text).__name__}")
    if len(text) > MAX_TEXT_LENGTH:
        raise InputError(f"text is {len(text)} characters long; the limit is {MAX_TEXT_LENGTH}")
    if not text.strip():
        return TextIntake(text=text, unmatched=True, message="The text is empty: nothing to read.")

    pipeline = get_pipeline(lexicon)
    written = text
    text, written_at = respelled(spoken_punctuation(text, lexicon.dictation), lexicon.spellings)
    docs = [(offset, pipeline(block)) for offset, block in text_blocks(text, BLOCK_CHARS)]  # kept: spans need them
    proxy = find_proxy(text, lexicon.demographics)
    patient_relation = proxy.relation if proxy else None
    matches = _settle_overlaps(
        _given_met(
            [
                _Match(span, span.label_, span._.target_rule.metadata["kind"], offset)
                for offset, doc in docs
                for span in doc.spans.get(SPAN_GROUP, [])
            ],
            lexicon,
            patient_relation,
        ),
        lexicon,
    )
    answered = [_settled(question, matches, text) for question in answered_questions(text, lexicon.answers)]
    # whether what someone else has is theirs: the text is written for another, or the writer has a complaint too
    writes_of_self = speaks_of_self(text, lexicon.demographics)
    others_apart = proxy is not None or writes_of_self
    resolved, closed = _resolved_sentences(docs, lexicon)
    findings = [f for f in (_to_finding(m, lexicon, answered, patient_relation, others_apart, resolved, closed)
                            for m in matches)
                if f is not None]
    findings = _denied_since(_doubted_denials(findings, lexicon), text, lexicon)
    findings.extend(_implied(findings, lexicon))
    findings.extend(_topics(docs, findings, lexicon.scope.topic_denials, answered))
    if statistical:
        findings.extend(model_findings(text, {f.finding_id for f in findings}, lexicon))
    findings.sort(key=lambda f: (f.start, f.end))
    if text != written:  # each mention where and as written, not as respelled or repunctuated for reading
        findings = [replace(f, start=(start := written_at(f.start)), end=(end := written_at(f.end)),
                            text=written[start:end]) for f in findings]

    demo = lexicon.demographics
    # in a text written for someone else, their age and sex before any the writer gives of themselves
    own = proxy is None and writes_of_self
    age, sex = find_age(text, demo), find_sex(text, demo, own)
    if proxy and proxy.age is not None:
        age = Stated(proxy.age, 0, 0)
    elif proxy is None:
        age = writer_age(text, demo) or age
    if proxy and proxy.relation in demo.proxy.sex_of_relation:
        sex = Stated(demo.proxy.sex_of_relation[proxy.relation], 0, 0)
    elif sex is None and not own:
        sex = pronoun_sex(text, demo)
    duration, stiffness = find_duration_weeks(text, demo), find_morning_stiffness_minutes(text, demo)
    side = _side(text, demo.heel_side, findings)
    intake_fields = {
        "age": age.value if age else None,
        "sex": sex.value if sex else None,
        "side": side,
        "limb_side": None if side else _side(text, demo.limb_side, findings),
        "duration_weeks": duration.value if duration else None,
        "morning_stiffness_minutes": stiffness.value if stiffness else None,
    }
    # the side of a leg alone says nothing about the heel
    unmatched = not any(f.asserted for f in findings) and all(
        v is None for k, v in intake_fields.items() if k != "limb_side")
    return TextIntake(
        text=written,
        findings=findings,
        unmatched=unmatched,
        message=_message(findings, intake_fields, unmatched),
        **intake_fields,  # type: ignore[arg-type]
    )


def _side(text: str, patterns: SidePatterns, findings: list[ExtractedFinding]) -> str | None:
    """The side the text names, or both when a finding that is two-sided is said present ("both heels hurt",
    "my legs keep giving way"), unless a side is named for the present complaint after an old one ("Both
    heels at first, now it's just the left one")."""
    stated = find_side_now(text, patterns)
    if stated is None and any(f.finding_id in patterns.both_findings and f.asserted and f.present for f in findings):
        return "both"
    stated = stated or find_side(text, patterns)
    return str(stated.value) if stated else None


def respelled(text: str, spellings: tuple[tuple[re.Pattern[str], str], ...]) -> tuple[str, Callable[[int], int]]:
    """Misspellings the lexicon knows put right ("my heal hurts", "undernieth", "my bak"), and where each offset
    of the respelled text falls in the text as given. A word no longer than the misspelling is padded with spaces
    to its length, so offsets stay where they were.

    >>> import re
    >>> text, written_at = respelled("my bak hurts", ((re.compile(r"\\bbak\\b"), "back"),))
    >>> text, written_at(len("my back")), written_at(len("my back hurts"))
    ('my back hurts', 6, 12)
    """
    written_at: list[int] | None = None  # offset in the respelled text -> offset in `text`; None while the same
    for pattern, word in spellings:
        if not pattern.search(text):
            continue
        pieces, at, last = [], [], 0
        for match in pattern.finditer(text):
            start, end = match.span()
            spelled = word.ljust(end - start) if len(word) <= end - start else word
            pieces += [text[last:start], spelled]
            at += [*range(last, start), *(min(start + i, end - 1) for i in range(len(spelled)))]
            last = end
        pieces.append(text[last:])
        at += range(last, len(text) + 1)
        text = "".join(pieces)
        written_at = at if written_at is None else [written_at[i] for i in at]
    return text, (written_at.__getitem__ if written_at is not None else _same)


def _same(offset: int) -> int:
    return offset


def spoken_punctuation(text: str, dictation: dict[str, str]) -> str:
    """Punctuation spoken into voice-to-text ("...this morning full stop my back...") as the mark it
    names, padded with spaces to the same length so every offset still points into the text as written."""
    if not dictation:
        return text

    def mark(match: re.Match[str]) -> str:
        spoken = match.group(0)
        punctuation = dictation[" ".join(spoken.lower().split())]
        punctuation = "\n\n" if punctuation == "\n" else punctuation  # a paragraph, never a wrapped line
        return punctuation.ljust(len(spoken))[: len(spoken)]

    return _spoken_marks(tuple(dictation)).sub(mark, text)


@lru_cache(maxsize=4)
def _spoken_marks(spoken: tuple[str, ...]) -> re.Pattern[str]:
    words = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(spoken, key=len, reverse=True))
    return re.compile(rf"(?<!\S)(?:{words})(?![\w'’-])", re.IGNORECASE)


def text_blocks(text: str, size: int) -> list[tuple[int, str]]:
    """(offset, block) pieces of `text` of at most `size` characters, cut after the last line break or
    sentence end in each (at a space when there is none), so that no sentence is split when it can be
    helped."""
    blocks, start = [], 0
    while len(text) - start > size:
        window = text[start : start + size]
        cut = max((window.rfind(end) + len(end) for end in _BLOCK_ENDS if window.rfind(end) > 0), default=0)
        if cut == 0:
            cut = window.rfind(" ") + 1 or size
        blocks.append((start, text[start : start + cut]))
        start += cut
    blocks.append((start, text[start:]))
    return blocks


def _topics(
    docs: list[tuple[int, Any]], found: list[ExtractedFinding], denials: frozenset[str], answered: list[AnsweredQuestion]
) -> list[ExtractedFinding]:
    """The first mention of each warning-sign topic whose finding no other words say is there or may be: asked, never
    counted (``Heelpath.to_confirm`` asks it first), unless it is denied outright ("no blisters"), or answered no
    ("Any blisters? No", "... trouble with your wee - any of those, go to A&E. I've got none of them"), which denies
    it. A finding denied in other words is asked too when its topic comes up again outside the denial ("Numbness
    around your buttocks? No. ... and wiping feels far away since Tuesday")."""
    named = {f.finding_id for f in found if f.present}
    denied_at: dict[str, list[tuple[int, int]]] = {}
    for f in found:
        if not f.present:
            denied_at.setdefault(f.finding_id, []).append((f.start, f.end))
    topics: dict[str, ExtractedFinding] = {}
    for offset, doc in docs:
        modifiers = doc._.context_graph.modifiers
        denying = [m for m in modifiers if m.category == "NEGATED_EXISTENCE" and _cue(m, doc).lower() in denials]
        for span in doc.spans.get(TOPIC_GROUP, []):
            start, end = offset + span.start_char, offset + span.end_char
            if span.label_ in named or any(m.modifies(span) for m in denying):
                continue
            if span.label_ in denied_at and (  # denied elsewhere: asked only when raised anew, outside any denial
                    any(start < d_end and d_start < end for d_start, d_end in denied_at[span.label_])
                    or _answering(start, end, answered)
                    or any(m.category == "NEGATED_EXISTENCE" and m.modifies(span) for m in modifiers)):
                continue
            reply = _answering(start, end, answered, _is_condition(span, modifiers))
            denied = False
            if reply is not None and reply.answer in ("no", "normal"):
                # a list of warning signs answered as a whole denies each; a question's "no" may not answer
                # what a loose topic word stands for ("weeing loads? No" says nothing of a bladder's control)
                if not reply.conditions_only or span.label_ in topics:
                    continue
                denied = True
            elif span.label_ in topics and topics[span.label_].present:
                continue  # the first asked mention stands; one unanswered outweighs a denial elsewhere
            topics[span.label_] = ExtractedFinding(
                finding_id=span.label_, present=not denied, side=None, text=span.text, start=start, end=end,
                modifier="negated" if denied else "uncertain", asserted=denied)
    return list(topics.values())


def _settle_overlaps(matches: list[_Match], lexicon: Lexicon) -> list[_Match]:
    """Keep the longest of overlapping matches of one finding, and drop suppressed matches (those inside a
    suppressor's match and shorter than it)."""
    matches = sorted(matches, key=lambda m: (m.start, -m.length, _KIND_RANK[m.kind]))
    kept: list[_Match] = []
    latest: dict[str, int] = {}  # finding -> index of its kept match that starts last
    for match in matches:
        # a finding's kept matches do not overlap and come in order, so only its latest can
        i = latest.get(match.finding_id)
        if i is None or not _overlaps(kept[i], match):
            latest[match.finding_id] = len(kept)
            kept.append(match)
        elif _escapes_denial(match, kept[i]) or (
                (match.length, -_KIND_RANK[match.kind]) > (kept[i].length, -_KIND_RANK[kept[i].kind])):
            kept[i] = match
    # a suppressor's kept matches do not overlap, so of them only the last to start at or before a match can hold it
    # (linear, not quadratic, in a text that repeats both findings)
    suppressors: dict[str, list[_Match]] = defaultdict(list)
    for k in sorted(kept, key=lambda k: k.start):
        if k.finding_id in lexicon.findings and lexicon.findings[k.finding_id].suppresses:
            suppressors[k.finding_id].append(k)
    starts = {finding_id: [k.start for k in group] for finding_id, group in suppressors.items()}

    def suppressed(m: _Match) -> bool:
        for finding_id, group in suppressors.items():
            if m.finding_id not in lexicon.findings[finding_id].suppresses:
                continue
            i = bisect_right(starts[finding_id], m.start) - 1
            other = group[i] if i >= 0 else None
            if (other is not None and other is not m and m.end <= other.end
                    and (other.start, other.end) != (m.start, m.end)):  # words given to both ("no numbness anywhere")
                return True
        return False

    return [m for m in kept if not suppressed(m)]


def _settled(question: AnsweredQuestion, matches: list[_Match], text: str) -> AnsweredQuestion:
    """The answer as it settles what the question names, or "unknown" (each is asked) where it may not: a yes that
    goes on, to a question naming several findings, may pick one ("Any fever, numbness round your bottom or problems
    with your bladder? yes numbness"); a no or "fine" to a bare label may answer only its last word, what ends before
    it being the writer's own words ("numb bum bladder? fine", "temp 39 heel? fine") unless a list joins them to it
    ("Numbness round your bottom or genitals? No")."""
    covered = [m for m in matches if question.covers(m.start, m.end)]
    if question.answer == "yes" and question.says_more and len({m.finding_id for m in covered}) > 1:
        return replace(question, answer="unknown")
    last_word = question.bare_from
    if question.answer in ("no", "normal") and last_word is not None and any(
            m.end <= last_word and not _LISTED.search(text, m.end, last_word)
            and not _LABEL_TAIL.fullmatch(text, m.end, question.end) for m in covered):
        return replace(question, answer="unknown")
    return question


def _given_met(matches: list[_Match], lexicon: Lexicon, patient_relation: str | None) -> list[_Match]:
    """Matches said only beside another finding ("It is worse every day" beside a foot drop) kept, as present, where
    one of those findings is said of the patient now; dropped where none is."""
    said = {m.finding_id for m in matches if m.kind == "present" and not any(
        c.category in _NOT_SAID and not _names_patient(c, m.span.doc, patient_relation) for c in m.span._.modifiers)}
    return [replace(m, kind="present") if m.kind == "given" else m for m in matches
            if m.kind != "given" or lexicon.findings[m.finding_id].given & said]


def _escapes_denial(later: _Match, earlier: _Match) -> bool:
    """Whether a match starting inside a longer, denied one is beyond the denial's reach: the longer one then runs
    across two statements ("Neither leg is swollen, my legs are getting weaker every day") and the later is kept."""
    return later.start > earlier.start and _denied(earlier) and not _denied(later)


def _denied(match: _Match) -> bool:
    return any(m.category == "NEGATED_EXISTENCE" for m in match.span._.modifiers)


def _implied(findings: list[ExtractedFinding], lexicon: Lexicon) -> list[ExtractedFinding]:
    """The findings a present mention says too, in its words and with its context ("the middle of my heel
    pad" is pain under the heel)."""
    return [replace(f, finding_id=implied) for f in findings if f.present and f.finding_id in lexicon.findings
            for implied in lexicon.findings[f.finding_id].implies]


def _overlaps(a: _Match, b: _Match) -> bool:
    return a.start < b.end and b.start < a.end


def _cue(modifier: Any, doc: Any) -> str:
    start, end = modifier.modifier_span
    return str(doc[start:end].text)


def _answer(start: int, end: int, answered: list[AnsweredQuestion], condition: bool = False) -> str | None:
    """The answer a question (or, for a `condition` of advice, a reply to the advice) gives the words."""
    reply = _answering(start, end, answered, condition)
    return reply.answer if reply else None


def _answering(start: int, end: int, answered: list[AnsweredQuestion], condition: bool = False) -> AnsweredQuestion | None:
    return next((q for q in answered if q.covers(start, end) and (condition or not q.conditions_only)), None)


def _is_condition(span: Any, modifiers: Any) -> bool:
    """Whether a hypothetical cue makes the span a condition of advice: one after that looks back ("... - any
    of those, go to A&E"), or one before it that opens the conditions ("go to A&E if ...", "watch for ...",
    "the card says ...") or is followed by them after a colon or dash ("gave me a card: numb bum, ..."). A fact
    told before the conditions is not one ("numb since Tuesday and the GP said ... if", "a card after I cut my
    heel - confusion, ...")."""
    doc = span.doc
    for m in modifiers:
        if m.category not in ("HYPOTHETICAL", "WARNING_LIST") or not m.modifies(span):
            continue
        start, end = m.modifier_span
        if m.direction == "BACKWARD":  # "...: numb bum, ... - any of those, go to A&E" looks back to the colon
            return ":" not in doc[span.end:start].text
        if start < span.start and (_OPENS_CONDITIONS.search(doc[start:end].text)
                                   or any(t.text in _LIST_OPENERS for t in doc[end:span.start])):
            return True
    return False


def _resolved_sentences(docs: list[tuple[int, Any]], lexicon: Lexicon) -> tuple[_Sentences, _Sentences]:
    """The sentences (doc id, first token) that the next sentence, opening with "It's gone now" or "Update: they're
    fine now", says have gone; and those of a paragraph that a later sentence opening "Since then ... normal" closes,
    whose warning signs are then asked (it closes an episode, not a treatment or a history)."""
    resolved: set[tuple[int, int]] = set()
    closed: set[tuple[int, int]] = set()
    for _, doc in docs:
        sentences = list(doc.sents)
        paragraph = 0  # where the current paragraph's sentences begin
        for i, (sentence, following) in enumerate(zip(sentences, sentences[1:])):
            if "\n" in sentence.text.strip():
                paragraph = i + 1
            # a reply to a question answers it ("Bladder? Fine"), it dates nothing
            if not sentence.text.rstrip().endswith("?") and any(
                    pattern.match(following.text) for pattern in lexicon.resolved_after):
                resolved.add((id(doc), sentence.start))
            if any(pattern.match(following.text) for pattern in lexicon.resolved_since):
                closed.update((id(doc), before.start) for before in sentences[paragraph : i + 1])
    return frozenset(resolved), frozenset(closed)


def _doubted_denials(findings: list[ExtractedFinding], lexicon: Lexicon) -> list[ExtractedFinding]:
    """A warning sign denied in one place and told with a hedge in another ("No numbness down below. Actually I think my
    bum might be a bit numb.") is asked: the denial does not settle it."""
    doubted = {f.finding_id for f in findings if f.hedged and lexicon.is_warning_sign(f.finding_id)}
    doubted &= {f.finding_id for f in findings if f.modifier == "negated"}
    doubted -= {f.finding_id for f in findings if f.modifier == "affirmed" and f.present}
    return [replace(f, present=True, modifier="uncertain", asserted=False) if f.finding_id in doubted
            and f.modifier == "negated" else f for f in findings]


def _denied_since(findings: list[ExtractedFinding], text: str, lexicon: Lexicon) -> list[ExtractedFinding]:
    """A warning sign told as there, then denied later as of now ("Gout in my left heel last month - red, hot and
    swollen. ... It has settled, not red or hot now.") is asked, neither counted nor denied: the later words may say
    it is over, or contradict it. Any other finding so told is over: the denial stands."""
    def now_denied(denial: ExtractedFinding) -> bool:  # "now" in the denial's sentence, looked for nearby only
        reach = min(denial.end + _NOW_REACH, len(text))
        end = TEXT_SENTENCE_END.search(text, denial.end, reach)
        if _NOW.search(text, denial.start, end.start() if end else reach):
            return True
        # or opening its clause: "I'm 27 now, off steroids for years"
        start = max(denial.start - _NOW_REACH, 0)
        before = text[start:denial.start]
        opened = max((m.end() for m in TEXT_SENTENCE_END.finditer(before)), default=0)
        return bool(_NOW.search(before, opened))

    first_told: dict[str, int] = {}  # where each finding is first told as there
    for f in findings:
        if f.asserted and f.present:
            first_told[f.finding_id] = min(first_told.get(f.finding_id, f.end), f.end)
    denied_later = {f.finding_id: f.start for f in findings if f.asserted and not f.present and f.finding_id in first_told
                    and first_told[f.finding_id] <= f.start and now_denied(f)}

    def reread(f: ExtractedFinding) -> ExtractedFinding:
        if not (f.asserted and f.finding_id in denied_later):
            return f
        if lexicon.is_warning_sign(f.finding_id):
            return replace(f, present=True, modifier="uncertain", asserted=False)
        # any other finding is over ("steroid tablets sorted the lot. I'm 27 now, off steroids for years"): what was
        # told before the denial is past, unless a past one counts (a cancer treated)
        entry = lexicon.findings.get(f.finding_id)
        if f.present and f.end <= denied_later[f.finding_id] and not (entry and entry.history_counts):
            return replace(f, modifier="historical", asserted=False)
        return f

    return [reread(f) for f in findings]


def _after_a_bare_comma(match: _Match, lexicon: Lexicon) -> bool:
    """Whether a warning sign follows a "no" only across commas, in a sentence with no "or" or "and" to make a list of
    it ("No fever, saddle numbness" may list two denials or deny one and state the other; "No fever, chills or sweats"
    and "Denies fever, weakness, numbness" are lists): it is asked."""
    if not lexicon.is_warning_sign(match.finding_id):
        return False
    span, doc = match.span, match.span.doc
    for modifier in span._.modifiers:
        start, end = modifier.modifier_span
        if (modifier.category == "NEGATED_EXISTENCE" and end <= span.start and doc[start:end].text.lower() == "no"
                and "," in doc[end : span.start].text):
            return not _LIST_WORDS.search(doc[start : span.sent.end].text)
    return False


def _denied_ability(match: _Match, lexicon: Lexicon) -> bool:
    """Whether a warning sign is "denied" by denying an ability or a view ("Not able to pass urine", "can't quench my
    thirst", "haven't been able to have sex", "I don't think I'm emptying my bladder", "I wouldn't say my legs are
    weak, but ..."): such words may tell the sign itself, so it is asked."""
    if not lexicon.is_warning_sign(match.finding_id):
        return False
    span, doc = match.span, match.span.doc
    for modifier in span._.modifiers:
        start, end = modifier.modifier_span
        if (modifier.category == "NEGATED_EXISTENCE" and end <= span.start
                and _DENIED_ABILITY.search(doc[max(start - 1, 0) : span.start].text)):
            return True
    return False


def _someone_elses(match: _Match, patient_relation: str | None) -> bool:
    """Whether someone other than the patient is said to have the match: a partner or friend who is not the relative
    the text is written for, or "he"/"she" in a text the writer tells of themselves."""
    doc = match.span.doc
    return any(m.category in ("OTHER_PERSON", "ANIMAL") and not _names_patient(m, doc, patient_relation)
               for m in match.span._.modifiers)


def _never_the_patients(match: _Match) -> bool:
    """Whether an animal has the match ("The cat's paw is swollen and hot"): never written for, so asked even when the
    writer tells nothing of their own (a carer's resident may be the patient; a clinician's patients are someone else's
    only beside a complaint of the writer's own)."""
    return any(m.category == "ANIMAL" for m in match.span._.modifiers)


def _names_patient(modifier: Any, doc: Any, patient_relation: str | None) -> bool:
    """Whether a relative's or someone else's cue names the patient: the relative the text is written for, or "he" or
    "she" in such a text."""
    cue = _cue(modifier, doc).lower()
    return patient_relation is not None and (cue == patient_relation or cue in _PATIENT_PRONOUNS)


def _asks_what_it_means(modifier: Any, span: Any) -> bool:
    """Whether a question mark hedges nothing: the question asks what the writer's sign means ("Is it normal that I
    can't feel the toilet paper?", "Numb bum and weak legs - is that serious?", "Should I worry that both legs feel
    weak?"), not whether it is there."""
    return modifier.category == "POSSIBLE_EXISTENCE" and _cue(modifier, span.doc).strip() == "?" and bool(
        _ASKS_MEANING.search(span.sent.text))


def _denied_until_now(match: _Match) -> bool:
    """Whether a denial is of the time before now ("I've never had trouble peeing before, but since yesterday ...",
    "Normally I'm never thirsty but lately ...", "never been confused before"): a change is being told, so it is asked."""
    span, doc = match.span, match.span.doc
    after = doc[span.end : min(span.end + 5, span.sent.end)].text
    never = any(m.category == "NEGATED_EXISTENCE" and _cue(m, doc).lower().startswith("never") for m in span._.modifiers)
    return bool(_BEFORE_NOW.match(after) or _USUALLY.search(doc[span.sent.start : span.start].text)
                or (never and _BUT_NOW.search(doc[span.end : span.sent.end].text)))


def _normal_until(match: _Match) -> bool:
    """Whether a normal state is told up to a time ("my legs were fine until Monday"): a change is being told."""
    span = match.span
    return bool(_UNTIL.match(span.doc[span.end : min(span.end + 3, span.sent.end)].text))


def _state_denied(match: _Match, lexicon: Lexicon) -> bool:
    """Whether a normal state is itself denied ("hasn't got normal feeling when she wipes"), not listed after a
    denial of something else ("no fever, temp 36.8")."""
    doc = match.span.doc
    return any(m.category == "NEGATED_EXISTENCE" and _cue(m, doc).lower() not in lexicon.scope.topic_denials
               for m in match.span._.modifiers)


def _to_finding(
    match: _Match, lexicon: Lexicon, answered: list[AnsweredQuestion], patient_relation: str | None,
    others_apart: bool = False, resolved: _Sentences = frozenset(), closed: _Sentences = frozenset(),
) -> ExtractedFinding | None:
    """A match read with its context; ``patient_relation``: the relative the text is written for, whose
    mentions are the patient's own, not family history; ``others_apart``: what someone else has (a partner,
    "he") is not the patient's, so it is asked; ``resolved``: the sentences the next one says have gone, ``closed``:
    those a later one closes (:func:`_resolved_sentences`)."""
    categories = {m.category for m in match.span._.modifiers
                  if not (m.category == "FAMILY" and _names_patient(m, match.span.doc, patient_relation))
                  and not _asks_what_it_means(m, match.span)}
    negated = "NEGATED_EXISTENCE" in categories
    present = False if match.kind == "absent" else not negated
    answer = (_answer(match.start, match.end, answered, _is_condition(match.span, match.span._.modifiers))
              if match.kind in ("present", "absent", "mention", FAMILY_DISEASE) else None)
    if answer == "unread":  # a warning sign asked, and answered in words no rule reads, is undecided: asked
        answer = ("unknown" if lexicon.is_warning_sign(match.finding_id) and not _ASKS_MEANING.search(match.span.sent.text)
                  else None)
    family = lexicon.family_history
    if "FAMILY" in categories:
        modifier: Modifier = "family"
        if answer in ("yes", "no"):  # "Family history of ankylosing spondylitis? No"
            present = answer == "yes"
    elif answer is None and match.kind == "present" and (
            (others_apart and _someone_elses(match, patient_relation)) or _never_the_patients(match)):
        # "My husband has sciatica down both legs. I just have heel pain.", "My partner doesn't have a fever but I do."
        present, modifier = True, "uncertain"
    elif answer == "unknown" or (match.kind == "absent" and (answer == "no" or (answer is None and (
            _state_denied(match, lexicon) or (lexicon.is_warning_sign(match.finding_id) and _normal_until(match)))))):
        # "Temperature: not checked", "Are your feet warm? No", "She hasn't got normal feeling when she wipes": asked
        present, modifier = True, "uncertain"
    elif answer == "normal":  # "Bladder? Fine": whatever the question's words, the sign is not there
        present, modifier = False, "negated"
    elif answer is not None:
        present = (answer == "yes") == (match.kind != "absent")  # what a question names takes its answer
        modifier = "affirmed" if present else "negated"
    elif negated and match.kind == "present" and _EXCEPTED.match(
            match.span.doc[match.span.end : min(match.span.end + 4, match.span.sent.end)].text):
        present, modifier = True, "affirmed"
    elif negated and ((match.kind == "present" and (_OWN_DENIAL.search(match.span.text)
                                                    or _after_a_bare_comma(match, lexicon)))
                      or (match.kind in ("present", "mention") and _denied_ability(match, lexicon))):
        # a denial of a sign said in denying words, one that may have ended, or an ability denied
        present, modifier = True, "uncertain"
    elif negated and match.kind == "present" and lexicon.is_warning_sign(match.finding_id) and _denied_until_now(match):
        present, modifier = True, "uncertain"
    elif categories & _UNCERTAIN or (match.kind == "mention" and not negated) or ("WARNING_LIST" in categories and present):
        modifier = "uncertain"  # hedged, a test named without its result, or a sign on a warning card
    elif (id(match.span.doc), match.span.sent.start) in resolved or (
            (id(match.span.doc), match.span.sent.start) in closed and lexicon.is_warning_sign(match.finding_id)):
        # "My foot went white and cold on Sunday. It came back pink after ten minutes.", "Bowels fine. Scratch that, ..."
        present, modifier = True, "uncertain"
    elif not present:
        modifier = "negated"
    elif "HISTORICAL" in categories:
        modifier = "historical"
    else:
        modifier = "affirmed"

    finding_id = match.finding_id
    if match.kind == FAMILY_DISEASE or (modifier == "family" and finding_id in family.from_findings):
        if modifier != "family":
            return None  # the patient's own diagnosis named: not a finding
        finding_id, asserted = family.finding_id, answer != "unknown"
    else:
        entry = lexicon.findings.get(finding_id)
        history_counts = bool(entry and entry.history_counts)
        asserted = modifier in ("affirmed", "negated") or (modifier == "historical" and history_counts)

    side = side_of_span(match.span, lexicon.sides) if finding_id in lexicon.lateralised else None
    hedged = (modifier == "uncertain" and present and "POSSIBLE_EXISTENCE" in categories
              and match.kind not in ("mention", "absent"))
    return ExtractedFinding(
        hedged=hedged,
        finding_id=finding_id,
        present=present,
        side=side,
        text=match.span.text,
        start=match.start,
        end=match.end,
        modifier=modifier,
        asserted=asserted,
    )


def _message(findings: list[ExtractedFinding], fields: dict[str, Any], unmatched: bool) -> str:
    asserted = [f for f in findings if f.asserted]
    if unmatched and findings:
        return (
            f"No finding could be taken from the text: {len(findings)} mention(s) were uncertain, "
            "about a relative or in the past, so none is counted."
        )
    if unmatched:
        return (
            "No findings were recognised in the text; please describe the pain in other words "
            "or answer the questions."
        )
    present = sum(1 for f in asserted if f.present)
    stated = [name for name, value in fields.items() if value is not None]
    parts = [
        f"{len(asserted)} finding mention(s) understood ({present} present, {len(asserted) - present} absent)"
    ]
    if stated:
        parts.append("also stated: " + ", ".join(name.replace("_", " ") for name in stated))
    skipped = len(findings) - len(asserted)
    if skipped:
        parts.append(f"{skipped} mention(s) not counted (uncertain, about a relative or in the past)")
    return "; ".join(parts) + "."
