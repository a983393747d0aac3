"""The text-intake lexicon (``knowledge/data/lexicon.yaml``), loaded and validated.

The lexicon is data: target phrases and patterns per finding id, ConText modifier rules, side words
and the patterns for age, sex, heel side, duration and morning stiffness. This module reads it with
PyYAML, expands ``<<MACRO>>`` references, compiles every regular expression once, and checks every
finding id against the knowledge base's findings, so a bad entry fails here with a message naming it rather than
later inside spaCy. It imports nothing heavy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal

import yaml

from heelpath.errors import KBSchemaError
from heelpath.knowledge.loader import KnowledgeBase
from heelpath.knowledge.yaml_text import parse_yaml

MatchKind = Literal["present", "absent", "mention", "topic", "given"]
MATCH_KINDS: tuple[MatchKind, ...] = ("present", "absent", "mention", "topic", "given")
CONTEXT_CATEGORIES = frozenset(
    {"NEGATED_EXISTENCE", "POSSIBLE_EXISTENCE", "HYPOTHETICAL", "WARNING_LIST", "HISTORICAL", "FAMILY", "OTHER_PERSON",
     "ANIMAL", "SELF"}
)
CONTEXT_DIRECTIONS = frozenset({"FORWARD", "BACKWARD", "BIDIRECTIONAL", "TERMINATE", "PSEUDO"})

_FINDING_KEYS = frozenset(
    {
        "phrases",
        "patterns",
        "absent_phrases",
        "absent_patterns",
        "mention_phrases",
        "mention_patterns",
        "topic_phrases",
        "topic_patterns",
        "history_counts",
        "suppresses",
        "implies",
        "given",
        "given_patterns",
    }
)
_TOP_KEYS = frozenset(
    {"version", "macros", "findings", "family_history", "context", "scope", "answers", "sides", "demographics",
     "dictation", "spellings"}
)
_PUNCTUATION = frozenset({".", ",", "?", "!", ";", ":", "\n"})
_CONTEXT_RULE_KEYS = frozenset(
    {"literal", "category", "direction", "pattern", "max_scope", "terminated_by", "whole_sentence", "warning_signs_only",
     "also_modifies"})
_MACRO = re.compile(r"<<([A-Z0-9_]+)>>")
_MAX_MACRO_DEPTH = 10


@dataclass(frozen=True)
class TargetSpec:
    """Words for one finding, said one way: present, absent, mentioned without a result, or only its
    subject named (a topic: never counted, asked when nothing else settles the finding)."""

    finding_id: str
    kind: MatchKind
    phrases: tuple[str, ...]
    patterns: tuple[str, ...]


@dataclass(frozen=True)
class FindingEntry:
    """What the lexicon says about one finding."""

    finding_id: str
    targets: tuple[TargetSpec, ...]
    history_counts: bool = False
    suppresses: frozenset[str] = frozenset()
    implies: frozenset[str] = frozenset()  # present wherever this one is: the middle of the heel pad is under the heel
    # given_patterns say the finding only beside one of these, present ("It is worse every day" beside a foot drop)
    given: frozenset[str] = frozenset()


@dataclass(frozen=True)
class FamilyHistorySpec:
    """Diseases whose mention in a relative sets the family-history finding."""

    finding_id: str
    from_findings: frozenset[str]
    phrases: tuple[str, ...]
    patterns: tuple[str, ...]


@dataclass(frozen=True)
class ContextRuleSpec:
    """One ConText modifier rule (medspaCy ``ConTextRule`` arguments)."""

    literal: str
    category: str
    direction: str
    pattern: str | None = None
    max_scope: int | None = None
    terminated_by: frozenset[str] = frozenset()
    whole_sentence: bool = False  # reaches every target of its sentence (within max_scope); a past one until "now"
    warning_signs_only: bool = False  # modifies only warning signs (an episode over, not a treatment or a trigger)
    also_modifies: frozenset[str] = frozenset()  # finding ids a warning-signs-only rule reaches too (numbness passing)


@dataclass(frozen=True)
class ScopeWords:
    """Words that decide how far a modifier reaches across a list."""

    clause_starters: frozenset[str]
    clause_openers: frozenset[str]
    list_joiners: frozenset[str]
    comma_ends: frozenset[str]
    assertive_words: frozenset[str]
    topic_denials: frozenset[str]
    denial_ends: frozenset[str]
    statement_ends: frozenset[str]
    writer_words: frozenset[str]
    run_on_subjects: frozenset[str]
    run_on_verbs: frozenset[str]
    denial_closers: frozenset[str]
    reporting_verbs: frozenset[str]
    third_person: frozenset[str]
    state_words: frozenset[str]
    statement_verbs: frozenset[str]


@dataclass(frozen=True)
class AnswerWords:
    """How a form's question is answered in the text ("Any fever? No", "Answer: None of these")."""

    yes: tuple[str, ...]
    no: tuple[str, ...]
    unknown: tuple[str, ...]
    normal: tuple[str, ...]  # all is as usual, whichever way the question asks ("Bladder? Fine", "Feel when you wipe? Normal")
    labels: tuple[str, ...]  # words that introduce an answer on its own line ("Answer:")
    advice_replies: tuple[str, ...] = ()  # a "no" to safety-netting advice ("... go to A&E if ... - I haven't")


@dataclass(frozen=True)
class SideWords:
    """Words naming a side of the body."""

    by_side: dict[str, frozenset[str]]
    case_sensitive: frozenset[str]
    not_a_side_before: frozenset[str]


@dataclass(frozen=True)
class DurationSpec:
    """How a duration is written, and which sentences it may be read from."""

    patterns: tuple[re.Pattern[str], ...]
    unit_weeks: dict[str, float]
    fraction_weeks: dict[str, float]
    context_words: frozenset[str]
    exclude_words: frozenset[str]
    ago_allowed_with: frozenset[str]


@dataclass(frozen=True)
class SidePatterns:
    """Patterns that name a side: ``sided`` with a ``(?P<side>...)`` group, ``both`` for both sides;
    ``now`` marks where the present complaint is told ("Both heels at first, now it's just the left one");
    ``both_findings`` are findings that, said present, make the side both."""

    sided: tuple[re.Pattern[str], ...]
    both: tuple[re.Pattern[str], ...]
    now: re.Pattern[str] | None = None
    both_findings: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ProxyPatterns:
    """How a text says it is written for a relative; named groups ``relation`` and (``with_age``) ``age``."""

    explicit: tuple[re.Pattern[str], ...]
    with_age: tuple[re.Pattern[str], ...]
    opening: tuple[re.Pattern[str], ...]  # a text opening on a relative's state ("Mum has been confused since ...")
    self: tuple[re.Pattern[str], ...]  # the writer's own complaint: then a relative's age is a family story
    sex_of_relation: dict[str, str]  # relation word -> "female" or "male"
    # the writer's own age, which tells no complaint: a relative given an age beside it is still the patient
    writer_age: tuple[re.Pattern[str], ...] = ()
    pronoun_sex: dict[str, str] = field(default_factory=dict)  # "she" -> "female": the patient's, when someone else's
    # who may come just before a pronoun that is then theirs, not the patient's ("the GP said she ...")
    pronoun_of_others: re.Pattern[str] | None = None


@dataclass(frozen=True)
class Demographics:
    """Patterns for age, sex, heel and limb side, duration and morning stiffness."""

    number_words: dict[str, float]
    age: tuple[re.Pattern[str], ...]
    sex: dict[str, tuple[re.Pattern[str], ...]]
    heel_side: SidePatterns
    limb_side: SidePatterns  # the leg or foot a complaint is in, when no heel side is stated
    duration: DurationSpec
    stiffness: tuple[re.Pattern[str], ...]
    morning_words: frozenset[str]
    proxy: ProxyPatterns


@dataclass(frozen=True)
class ReaderSpec:
    """The statistical reader beside the rules (``text_reader.yaml``): its trained model file, the probability at
    which it reads a finding the rules left unread, what it was trained on, and the most questions it asks of one
    text (its most probable; None: no bound)."""

    model: Path
    threshold: float
    labels: tuple[str, ...]
    trained_on: dict[str, Any]
    max_questions: int | None = None


@dataclass(frozen=True, eq=False)
class Lexicon:
    """The whole text-intake lexicon, validated."""

    version: int
    findings: dict[str, FindingEntry]
    family_history: FamilyHistorySpec
    context_rules: tuple[ContextRuleSpec, ...]
    remove_default_context: frozenset[str]
    scope: ScopeWords
    answers: AnswerWords
    sides: SideWords
    demographics: Demographics
    dictation: dict[str, str] = field(default_factory=dict)  # a spoken punctuation mark -> the mark
    # misspellings put right before reading ("my heal hurts"): a pattern and the word it stands for
    spellings: tuple[tuple[re.Pattern[str], str], ...] = ()
    # a sentence opening with these says what the sentence before it told has gone ("It's gone now")
    resolved_after: tuple[re.Pattern[str], ...] = ()
    # a sentence opening with these says every sentence before it in its paragraph is over ("Since then, touch wood, my
    # legs have been completely normal")
    resolved_since: tuple[re.Pattern[str], ...] = ()
    lateralised: frozenset[str] = field(default_factory=frozenset)
    reader: ReaderSpec | None = None  # None: the rules alone

    def entry(self, finding_id: str) -> FindingEntry:
        """The lexicon entry of a finding id (KeyError if the lexicon has none)."""
        return self.findings[finding_id]

    def is_warning_sign(self, finding_id: str) -> bool:
        """Whether the finding is a warning sign: the lexicon names its subject as a topic, to be asked."""
        entry = self.findings.get(finding_id)
        return entry is not None and any(t.kind == "topic" for t in entry.targets)


def finding_ids_of(kb: KnowledgeBase) -> dict[str, dict[str, Any]]:
    """Finding id -> ``{"type": ..., "lateralised": ...}``: what the lexicon is checked against."""
    return {f.id: {"type": f.type, "lateralised": f.lateralised} for f in kb.findings}


def load_lexicon_from(data_dir: Path, kb: KnowledgeBase) -> Lexicon:
    """Load and validate ``lexicon.yaml`` in `data_dir` against the knowledge base's findings.

    Raises
    ------
    KBSchemaError
        A key, finding id, macro, pattern or rule in the lexicon is invalid; the message names it.
    """
    path = data_dir / "lexicon.yaml"
    try:
        raw = parse_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise KBSchemaError(f"lexicon.yaml: not valid YAML ({exc})") from None
    try:
        lexicon = parse_lexicon(raw, finding_ids_of(kb))
    except ValueError as exc:
        raise KBSchemaError(f"lexicon.yaml: {exc}") from None
    reader_path = data_dir / READER_FILE
    if not reader_path.exists():
        return lexicon
    try:
        reader = read_reader_spec(parse_yaml(reader_path.read_text(encoding="utf-8")), data_dir, finding_ids_of(kb))
    except (yaml.YAMLError, ValueError) as exc:
        raise KBSchemaError(f"{READER_FILE}: {exc}") from None
    return replace(lexicon, reader=reader)


def read_reader_spec(raw: Any, data_dir: Path, finding_ids: dict[str, dict[str, Any]]) -> ReaderSpec:
    """Validate ``text_reader.yaml``: the model file exists, the threshold is a probability, the labels are findings.

    Raises
    ------
    ValueError
        Naming the offending key or value.
    """
    if not isinstance(raw, dict):
        raise ValueError("expected a mapping at the top level")
    _check_keys("text_reader", raw, {"model", "threshold", "threshold_basis", "max_questions", "max_questions_basis",
                                     "labels", "trained_on"})
    model = data_dir / str(raw.get("model", ""))
    if not raw.get("model") or not model.is_file():
        raise ValueError(f"model: {raw.get('model')!r} is not a file in {data_dir}")
    threshold = raw.get("threshold")
    if not isinstance(threshold, (int, float)) or isinstance(threshold, bool) or not 0 < threshold < 1:
        raise ValueError(f"threshold: {threshold!r} is not a probability between 0 and 1")
    max_questions = raw.get("max_questions")
    if max_questions is not None and (not isinstance(max_questions, int) or isinstance(max_questions, bool)
                                      or max_questions < 1):
        raise ValueError(f"max_questions: {max_questions!r} is not a whole number of at least 1")
    labels = _string_list("labels", raw.get("labels"))
    if not labels:
        raise ValueError("labels: the model reads no finding")
    for label in labels:
        _check_finding_id("labels", label, finding_ids)
    trained_on = raw.get("trained_on")
    if not isinstance(trained_on, dict) or not isinstance(trained_on.get("digest"), str):
        raise ValueError("trained_on: expected a mapping with the training texts' digest")
    return ReaderSpec(model=model, threshold=float(threshold), labels=labels, trained_on=trained_on,
                      max_questions=max_questions)


READER_FILE = "text_reader.yaml"


def parse_lexicon(raw: Any, finding_ids: dict[str, dict[str, Any]]) -> Lexicon:
    """Validate a lexicon given as parsed YAML against the known finding ids.

    Parameters
    ----------
    raw
        The lexicon document (a mapping).
    finding_ids
        Finding id -> ``{"type": ..., "lateralised": ...}``, as from :func:`finding_ids_of`.

    Raises
    ------
    ValueError
        Naming the offending key, id, macro or pattern.

    Examples
    --------
    >>> import heelpath
    >>> heelpath.load().lexicon.findings["numbness"].targets[0].phrases[:2]
    ('dead feeling', 'no feeling')
    """
    if not isinstance(raw, dict):
        raise ValueError("lexicon: expected a mapping at the top level")
    _check_keys("lexicon", raw, _TOP_KEYS)
    macros = _read_macros(raw)
    findings = {
        finding_id: _read_finding(finding_id, body, macros, finding_ids)
        for finding_id, body in (raw.get("findings") or {}).items()
    }
    for entry in findings.values():
        for key, named in (("suppresses", entry.suppresses), ("implies", entry.implies), ("given", entry.given)):
            for finding_id in named:
                _check_finding_id(f"findings.{entry.finding_id}.{key}", finding_id, finding_ids)
    family = _read_family(raw.get("family_history") or {}, macros, finding_ids)
    context = raw.get("context") or {}
    _check_keys("context", context, {"remove_default", "rules", "resolved_after", "resolved_since"})
    resolved_after = _compile_all("context.resolved_after", context.get("resolved_after") or [], macros)
    resolved_since = _compile_all("context.resolved_since", context.get("resolved_since") or [], macros)
    lexicon = Lexicon(
        version=int(raw.get("version", 1)),
        findings=findings,
        family_history=family,
        context_rules=tuple(
            _read_context_rule(i, rule, macros, finding_ids) for i, rule in enumerate(context.get("rules") or [])
        ),
        remove_default_context=frozenset(str(s).lower() for s in context.get("remove_default") or []),
        scope=_read_scope(raw.get("scope") or {}),
        answers=_read_answers(raw.get("answers") or {}),
        sides=_read_sides(raw.get("sides") or {}),
        demographics=_read_demographics(raw.get("demographics") or {}, macros),
        dictation=_read_dictation(raw.get("dictation") or {}),
        spellings=_read_spellings(raw.get("spellings") or [], macros),
        resolved_after=resolved_after,
        resolved_since=resolved_since,
        lateralised=frozenset(fid for fid, info in finding_ids.items() if info["lateralised"]),
    )
    for key in ("heel_side", "limb_side"):
        for finding_id in getattr(lexicon.demographics, key).both_findings:
            _check_finding_id(f"demographics.{key}.both_findings", finding_id, finding_ids)
    return lexicon


def expand_macros(pattern: str, macros: dict[str, str], where: str) -> str:
    """Replace ``<<NAME>>`` with its macro, repeatedly (macros may use macros)."""
    for _ in range(_MAX_MACRO_DEPTH):
        names = _MACRO.findall(pattern)
        if not names:
            return pattern
        for name in names:
            if name not in macros:
                raise ValueError(f"{where}: unknown macro <<{name}>>")
        pattern = _MACRO.sub(lambda m: macros[m.group(1)], pattern)
    raise ValueError(f"{where}: macros nest more than {_MAX_MACRO_DEPTH} deep")


def compile_pattern(pattern: str, macros: dict[str, str], where: str) -> str:
    """Expand macros and check that a pattern compiles; return the expanded pattern."""
    expanded = expand_macros(pattern, macros, where)
    try:
        re.compile(expanded, re.IGNORECASE)
    except re.error as exc:
        raise ValueError(f"{where}: invalid regular expression {pattern!r}: {exc}") from None
    if re.compile(expanded, re.IGNORECASE).fullmatch(""):
        raise ValueError(f"{where}: pattern {pattern!r} matches the empty string")
    return expanded


def _check_keys(where: str, mapping: Any, allowed: frozenset[str] | set[str]) -> None:
    if not isinstance(mapping, dict):
        raise ValueError(f"{where}: expected a mapping, got {type(mapping).__name__}")
    unknown = set(mapping) - set(allowed)
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(allowed)}")


def _check_finding_id(where: str, finding_id: str, finding_ids: dict[str, Any]) -> None:
    if finding_id not in finding_ids:
        raise ValueError(f"{where}: {finding_id!r} is not a finding id in findings.yaml")


def _string_list(where: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"{where}: expected a list of non-empty strings")
    return tuple(value)


def _read_macros(raw: dict[str, Any]) -> dict[str, str]:
    macros: dict[str, str] = {}
    for where, table in (
        ("macros", raw.get("macros")),
        ("demographics.macros", (raw.get("demographics") or {}).get("macros")),
    ):
        for name, value in (table or {}).items():
            if not re.fullmatch(r"[A-Z0-9_]+", str(name)) or not isinstance(value, str):
                raise ValueError(f"{where}: macro {name!r} must be UPPER_CASE and map to a string")
            if name in macros:
                raise ValueError(f"{where}: macro <<{name}>> is defined twice")
            macros[name] = value
    return macros


def _read_finding(
    finding_id: str, body: Any, macros: dict[str, str], finding_ids: dict[str, Any]
) -> FindingEntry:
    where = f"findings.{finding_id}"
    _check_finding_id(where, finding_id, finding_ids)
    _check_keys(where, body, _FINDING_KEYS)
    targets = []
    for kind, prefix in (("present", ""), ("absent", "absent_"), ("mention", "mention_"), ("topic", "topic_"),
                         ("given", "given_")):
        phrases = _string_list(f"{where}.{prefix}phrases", body.get(f"{prefix}phrases"))
        patterns = tuple(
            compile_pattern(p, macros, f"{where}.{prefix}patterns")
            for p in _string_list(f"{where}.{prefix}patterns", body.get(f"{prefix}patterns"))
        )
        if phrases or patterns:
            targets.append(TargetSpec(finding_id, kind, phrases, patterns))  # type: ignore[arg-type]
    if not targets:
        raise ValueError(f"{where}: no phrases or patterns")
    given = frozenset(_string_list(f"{where}.given", body.get("given")))
    if bool(given) != bool(body.get("given_patterns")):
        raise ValueError(f"{where}: given and given_patterns go together")
    history_counts = body.get("history_counts", False)
    if not isinstance(history_counts, bool):
        raise ValueError(f"{where}.history_counts: expected true or false")
    return FindingEntry(
        finding_id=finding_id,
        targets=tuple(targets),
        history_counts=history_counts,
        suppresses=frozenset(_string_list(f"{where}.suppresses", body.get("suppresses"))),
        implies=frozenset(_string_list(f"{where}.implies", body.get("implies"))),
        given=given,
    )


def _read_family(
    body: dict[str, Any], macros: dict[str, str], finding_ids: dict[str, Any]
) -> FamilyHistorySpec:
    _check_keys("family_history", body, {"finding", "from_findings", "phrases", "patterns"})
    finding_id = body.get("finding", "family_history_spa")
    _check_finding_id("family_history.finding", finding_id, finding_ids)
    from_findings = _string_list("family_history.from_findings", body.get("from_findings"))
    for fid in from_findings:
        _check_finding_id("family_history.from_findings", fid, finding_ids)
    return FamilyHistorySpec(
        finding_id=finding_id,
        from_findings=frozenset(from_findings),
        phrases=_string_list("family_history.phrases", body.get("phrases")),
        patterns=tuple(
            compile_pattern(p, macros, "family_history.patterns")
            for p in _string_list("family_history.patterns", body.get("patterns"))
        ),
    )


def _read_context_rule(
    index: int, rule: Any, macros: dict[str, str], finding_ids: dict[str, dict[str, Any]]
) -> ContextRuleSpec:
    where = f"context.rules[{index}]"
    _check_keys(where, rule, _CONTEXT_RULE_KEYS)
    literal, category, direction = rule.get("literal"), rule.get("category"), rule.get("direction")
    if not isinstance(literal, str) or not literal:
        raise ValueError(f"{where}.literal: expected a non-empty string")
    if category not in CONTEXT_CATEGORIES:
        raise ValueError(f"{where}.category: {category!r} is not one of {sorted(CONTEXT_CATEGORIES)}")
    if direction not in CONTEXT_DIRECTIONS:
        raise ValueError(f"{where}.direction: {direction!r} is not one of {sorted(CONTEXT_DIRECTIONS)}")
    max_scope = rule.get("max_scope")
    if max_scope is not None and (
        not isinstance(max_scope, int) or isinstance(max_scope, bool) or max_scope < 1
    ):
        raise ValueError(f"{where}.max_scope: expected a positive integer")
    pattern = rule.get("pattern")
    if pattern is not None:
        pattern = compile_pattern(str(pattern), macros, f"{where}.pattern")
    terminated_by = frozenset(_string_list(f"{where}.terminated_by", rule.get("terminated_by")))
    for other in terminated_by:
        if other not in CONTEXT_CATEGORIES:
            raise ValueError(f"{where}.terminated_by: {other!r} is not a ConText category")
    flags = {key: rule.get(key, False) for key in ("whole_sentence", "warning_signs_only")}
    for key, value in flags.items():
        if not isinstance(value, bool):
            raise ValueError(f"{where}.{key}: expected true or false")
    also = frozenset(_string_list(f"{where}.also_modifies", rule.get("also_modifies")))
    if also and not flags["warning_signs_only"]:
        raise ValueError(f"{where}.also_modifies: only for a rule with warning_signs_only")
    for finding_id in also:
        _check_finding_id(f"{where}.also_modifies", finding_id, finding_ids)
    return ContextRuleSpec(literal, category, direction, pattern, max_scope, terminated_by, **flags, also_modifies=also)


def _read_scope(body: dict[str, Any]) -> ScopeWords:
    names = [f.name for f in fields(ScopeWords)]
    _check_keys("scope", body, set(names))
    return ScopeWords(**{
        name: frozenset(w.lower() for w in _string_list(f"scope.{name}", body.get(name))) for name in names
    })


def _read_dictation(body: Any) -> dict[str, str]:
    if not isinstance(body, dict):
        raise ValueError("dictation: expected a mapping of spoken words to a punctuation mark")
    for spoken, mark in body.items():
        if not isinstance(spoken, str) or not spoken.strip() or mark not in _PUNCTUATION:
            raise ValueError(f"dictation.{spoken}: expected one of {sorted(_PUNCTUATION)}, got {mark!r}")
    return {spoken.lower(): mark for spoken, mark in body.items()}


def _read_spellings(body: Any, macros: dict[str, str]) -> tuple[tuple[re.Pattern[str], str], ...]:
    if not isinstance(body, list):
        raise ValueError("spellings: expected a list of {pattern, word}")
    spellings = []
    for i, entry in enumerate(body):
        where = f"spellings[{i}]"
        _check_keys(where, entry, {"pattern", "word"})
        word = entry.get("word")
        if not isinstance(word, str) or not word.strip():
            raise ValueError(f"{where}.word: expected a non-empty string")
        pattern = compile_pattern(str(entry.get("pattern")), macros, f"{where}.pattern")
        spellings.append((re.compile(pattern, re.IGNORECASE), word))
    return tuple(spellings)


def _read_answers(body: dict[str, Any]) -> AnswerWords:
    keys = ("yes", "no", "unknown", "normal", "labels", "advice_replies")
    _check_keys("answers", body, set(keys))
    words = {key: tuple(w.lower() for w in _string_list(f"answers.{key}", body.get(key))) for key in keys}
    return AnswerWords(**words)


def _read_sides(body: dict[str, Any]) -> SideWords:
    _check_keys("sides", body, {"left", "right", "both", "case_sensitive", "not_a_side_before"})
    by_side = {
        side: frozenset(w.lower() for w in _string_list(f"sides.{side}", body.get(side)))
        for side in ("left", "right", "both")
    }
    return SideWords(
        by_side=by_side,
        case_sensitive=frozenset(
            w.lower() for w in _string_list("sides.case_sensitive", body.get("case_sensitive"))
        ),
        not_a_side_before=frozenset(
            w.lower() for w in _string_list("sides.not_a_side_before", body.get("not_a_side_before"))
        ),
    )


def _compile_all(where: str, patterns: Any, macros: dict[str, str]) -> tuple[re.Pattern[str], ...]:
    return tuple(
        re.compile(compile_pattern(p, macros, where), re.IGNORECASE) for p in _string_list(where, patterns)
    )


def _read_side_patterns(body: dict[str, Any], key: str, macros: dict[str, str]) -> SidePatterns:
    spec = body.get(key) or {}
    _check_keys(f"demographics.{key}", spec, {"sided", "both", "both_findings"})
    sided = _compile_all(f"demographics.{key}.sided", spec.get("sided"), macros)
    for pattern in sided:
        if "side" not in pattern.groupindex:
            raise ValueError(f"demographics.{key}.sided: {pattern.pattern!r} has no (?P<side>...) group")
    now = _compile_all("demographics.now", [body["now"]], macros)[0] if body.get("now") else None
    both_findings = frozenset(_string_list(f"demographics.{key}.both_findings", spec.get("both_findings")))
    return SidePatterns(sided, _compile_all(f"demographics.{key}.both", spec.get("both"), macros), now, both_findings)


def _read_demographics(body: dict[str, Any], macros: dict[str, str]) -> Demographics:
    _check_keys(
        "demographics",
        body,
        {"number_words", "age", "sex", "heel_side", "limb_side", "now", "duration", "morning_stiffness", "proxy", "macros"},
    )
    number_words = body.get("number_words") or {}
    if not all(isinstance(k, str) and isinstance(v, (int, float)) for k, v in number_words.items()):
        raise ValueError("demographics.number_words: expected word -> number")
    sex = body.get("sex") or {}
    _check_keys("demographics.sex", sex, {"female", "male"})
    age = _compile_all("demographics.age", body.get("age"), macros)
    for pattern in age:
        if not {"age", "turning"} & set(pattern.groupindex):
            raise ValueError(f"demographics.age: {pattern.pattern!r} has no (?P<age>...) or (?P<turning>...) group")
    stiffness_body = body.get("morning_stiffness") or {}
    _check_keys("demographics.morning_stiffness", stiffness_body, {"patterns", "morning_words"})
    return Demographics(
        number_words={k.lower(): float(v) for k, v in number_words.items()},
        age=age,
        sex={s: _compile_all(f"demographics.sex.{s}", sex.get(s), macros) for s in ("female", "male")},
        heel_side=_read_side_patterns(body, "heel_side", macros),
        limb_side=_read_side_patterns(body, "limb_side", macros),
        duration=_read_duration(body.get("duration") or {}, macros),
        stiffness=_compile_all(
            "demographics.morning_stiffness.patterns", stiffness_body.get("patterns"), macros
        ),
        morning_words=frozenset(
            w.lower()
            for w in _string_list(
                "demographics.morning_stiffness.morning_words", stiffness_body.get("morning_words")
            )
        ),
        proxy=_read_proxy(body.get("proxy") or {}, macros),
    )


def _read_proxy(body: dict[str, Any], macros: dict[str, str]) -> ProxyPatterns:
    _check_keys("demographics.proxy", body, {"explicit", "with_age", "opening", "self", "writer_age", "female", "male",
                                             "pronouns", "pronoun_of_others"})
    explicit, with_age, opening, self_, writer_age = (
        _compile_all(f"demographics.proxy.{key}", body.get(key), macros)
        for key in ("explicit", "with_age", "opening", "self", "writer_age")
    )
    for key, patterns, groups in (("explicit", explicit, {"relation"}), ("with_age", with_age, {"relation", "age"}),
                                  ("opening", opening, {"relation"}), ("writer_age", writer_age, {"age"})):
        for pattern in patterns:
            if not groups <= set(pattern.groupindex):
                raise ValueError(f"demographics.proxy.{key}: {pattern.pattern!r} needs the groups {sorted(groups)}")
    sex_of_relation = {w.lower(): sex for sex in ("female", "male")
                       for w in _string_list(f"demographics.proxy.{sex}", body.get(sex))}
    pronouns = body.get("pronouns") or {}
    _check_keys("demographics.proxy.pronouns", pronouns, {"female", "male"})
    pronoun_sex = {w.lower(): sex for sex in ("female", "male")
                   for w in _string_list(f"demographics.proxy.pronouns.{sex}", pronouns.get(sex))}
    others = body.get("pronoun_of_others")
    return ProxyPatterns(explicit=explicit, with_age=with_age, opening=opening, self=self_,
                         sex_of_relation=sex_of_relation, writer_age=writer_age, pronoun_sex=pronoun_sex,
                         pronoun_of_others=_compile_all("demographics.proxy.pronoun_of_others", [others], macros)[0]
                         if others else None)


def _read_duration(body: dict[str, Any], macros: dict[str, str]) -> DurationSpec:
    where = "demographics.duration"
    _check_keys(
        where, body, {"units", "fractions", "patterns", "context_words", "exclude_words", "ago_allowed_with"}
    )
    units = {str(k).lower(): float(v) for k, v in (body.get("units") or {}).items()}
    fractions = {str(k): float(v) for k, v in (body.get("fractions") or {}).items()}
    if not units:
        raise ValueError(f"{where}.units: expected unit -> weeks")
    return DurationSpec(
        patterns=_compile_all(f"{where}.patterns", body.get("patterns"), macros),
        unit_weeks=units,
        fraction_weeks=fractions,
        context_words=frozenset(
            w.lower() for w in _string_list(f"{where}.context_words", body.get("context_words"))
        ),
        exclude_words=frozenset(
            w.lower() for w in _string_list(f"{where}.exclude_words", body.get("exclude_words"))
        ),
        ago_allowed_with=frozenset(
            w.lower() for w in _string_list(f"{where}.ago_allowed_with", body.get("ago_allowed_with"))
        ),
    )
