"""The rule language of triage and next steps, and the loader that validates the rule files.

Rules are data (``red_flags.yaml``, ``triage_rules.yaml``, ``next_steps.yaml``). Each has a
``when``: a small condition written in YAML, checked here when it is loaded, so that a misspelt
key, an unknown finding or condition id, or a missing citation raises an error naming the rule
before it can do harm.

The condition language
----------------------
A condition is one of:

==============================================  ==================================================
``<finding id>``                                the finding was answered *present*
``{all: [c, ...]}`` / ``{any: [c, ...]}``       every / at least one condition holds
``{at_least: {n: 2, of: [c, ...]}}``            at least n of the conditions hold
``{not: c}``                                    the condition does not hold
``{absent: <finding id>}``                      the finding was answered *absent* ("no")
``{unanswered: <finding id>}``                  the finding was not answered
``{age_at_least: 50}`` / ``{age_below: 16}``    age in years
``{setting: primary_care}``                     the case's setting
``{probability: {condition: id, at_least: p}}`` P(condition present) >= p (or ``below: p``);
                                                ``conditions: [ids]`` means P(any of them)
``{leading: {conditions: [ids], at_least: p}}`` the most probable condition is one of them
                                                (with probability >= p)
``{origin: {involves: spinal, at_least: p}}``   P(a cause of that origin), ``spinal_and_local``, or
                                                ``unexplained`` (none of the modelled causes)
``{rule: <rule id>}``                           that red-flag or triage rule fired (next steps only)
``{triage_at_least: urgent}``                   the triage level is at least / below a level
``{triage_below: urgent}``                      (next steps only)
==============================================  ==================================================

Red-flag rules are *monotone answer rules*: they may use only finding ids, ``all``, ``any``,
``at_least`` and the age atoms. They never read a probability, so no probability can talk a red
flag down, and they never read an answer of "no", so answering more questions can only raise,
never lower, what the red flags demand.

>>> import heelpath
>>> heelpath.load().rules.red_flag("ces_sphincter").level
'emergency'
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Union

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from heelpath.errors import KBReferenceError, KBSchemaError, validation_problems
from heelpath.knowledge.loader import KnowledgeBase, M
from heelpath.knowledge.schema import Wording
from heelpath.knowledge.yaml_text import parse_yaml

Level = Literal["self_care", "routine", "soon", "urgent", "emergency"]
LEVELS: tuple[str, ...] = ("self_care", "routine", "soon", "urgent", "emergency")  # least to most urgent
Origin = Literal["local", "spinal", "systemic", "mimic", "spinal_and_local", "unexplained"]
Section = Literal["see", "tests", "tests_not_recommended", "treatments", "avoid", "both_causes"]


def level_rank(level: str) -> int:
    """0 for self_care ... 4 for emergency."""
    return LEVELS.index(level)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ProbabilityAtom(_Strict):
    """P(condition) or P(any of conditions) compared with a threshold."""

    condition: str | None = None
    conditions: list[str] | None = None
    at_least: float | None = Field(default=None, ge=0, le=1)
    below: float | None = Field(default=None, ge=0, le=1)

    @model_validator(mode="after")
    def _one_target(self) -> ProbabilityAtom:
        if (self.condition is None) == (self.conditions is None):
            raise ValueError("give exactly one of 'condition' or 'conditions'")
        if self.conditions is not None and not self.conditions:
            raise ValueError("'conditions' must not be empty")
        if self.at_least is None and self.below is None:
            raise ValueError("give 'at_least' and/or 'below'")
        return self

    @property
    def ids(self) -> list[str]:
        return [self.condition] if self.condition is not None else list(self.conditions or [])


class LeadingAtom(_Strict):
    """The most probable condition is one of these (optionally with at least this probability)."""

    conditions: list[str] = Field(min_length=1)
    at_least: float = Field(default=0.0, ge=0, le=1)


class OriginAtom(_Strict):
    """P(the pain involves a cause of this origin) compared with a threshold."""

    involves: Origin
    at_least: float | None = Field(default=None, ge=0, le=1)
    below: float | None = Field(default=None, ge=0, le=1)

    @model_validator(mode="after")
    def _threshold(self) -> OriginAtom:
        if self.at_least is None and self.below is None:
            raise ValueError("give 'at_least' and/or 'below'")
        return self


class AtLeastAtom(_Strict):
    n: int = Field(ge=1)
    of: list[Cond] = Field(min_length=1)

    @model_validator(mode="after")
    def _n_fits(self) -> AtLeastAtom:
        if self.n > len(self.of):
            raise ValueError(f"n = {self.n} but only {len(self.of)} conditions are listed")
        return self


class Clause(_Strict):
    """One compound or atomic condition: exactly one key is set."""

    all: list[Cond] | None = None
    any: list[Cond] | None = None
    at_least: AtLeastAtom | None = None
    not_: Cond | None = Field(default=None, alias="not")
    absent: str | None = None
    unanswered: str | None = None
    age_at_least: float | None = Field(default=None, ge=0, le=120)
    age_below: float | None = Field(default=None, gt=0, le=120)
    setting: str | None = None
    probability: ProbabilityAtom | None = None
    leading: LeadingAtom | None = None
    origin: OriginAtom | None = None
    rule: str | None = None
    triage_at_least: Level | None = None
    triage_below: Level | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _exactly_one(self) -> Clause:
        given = [name for name in type(self).model_fields if getattr(self, name) is not None]
        if len(given) != 1:
            keys = [("not" if g == "not_" else g) for g in given]
            raise ValueError(f"a condition has exactly one key, got {keys or 'none'}")
        for name in ("all", "any"):
            value = getattr(self, name)
            if value is not None and not value:
                raise ValueError(f"'{name}' must list at least one condition")
        return self

    @property
    def key(self) -> str:
        """The one key this condition uses ('all', 'probability', 'not', ...)."""
        name = next(name for name in type(self).model_fields if getattr(self, name) is not None)
        return "not" if name == "not_" else name


Cond = Union[str, Clause]
AtLeastAtom.model_rebuild()
Clause.model_rebuild()

NEXT_STEP_ONLY_KEYS = {"rule", "triage_at_least", "triage_below"}
RED_FLAG_KEYS = {"all", "any", "at_least", "age_at_least", "age_below"}


def walk(cond: Cond) -> Iterator[Cond]:
    """Every condition inside `cond`, itself included (depth first)."""
    yield cond
    if isinstance(cond, str):
        return
    children: list[Cond] = []
    if cond.all is not None:
        children = cond.all
    elif cond.any is not None:
        children = cond.any
    elif cond.at_least is not None:
        children = cond.at_least.of
    elif cond.not_ is not None:
        children = [cond.not_]
    for child in children:
        yield from walk(child)


def keys_used(cond: Cond) -> set[str]:
    """The condition keys used anywhere in `cond` ('finding' for a bare finding id)."""
    return {("finding" if isinstance(c, str) else c.key) for c in walk(cond)}


def findings_named(cond: Cond) -> set[str]:
    out: set[str] = set()
    for c in walk(cond):
        if isinstance(c, str):
            out.add(c)
        elif c.absent is not None:
            out.add(c.absent)
        elif c.unanswered is not None:
            out.add(c.unanswered)
    return out


def conditions_named(cond: Cond) -> set[str]:
    out: set[str] = set()
    for c in walk(cond):
        if isinstance(c, Clause):
            if c.probability is not None:
                out.update(c.probability.ids)
            if c.leading is not None:
                out.update(c.leading.conditions)
    return out


def rules_named(cond: Cond) -> set[str]:
    return {c.rule for c in walk(cond) if isinstance(c, Clause) and c.rule is not None}


TEXT_FIELDS = ("title", "patient", "clinician", "safety_net", "why", "note")


class _Rule(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    when: Cond
    source: list[str] = Field(min_length=1)
    note: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _one_line_texts(cls, data: Any) -> Any:
        """Folded YAML text arrives with line breaks; keep each text on one line."""
        if isinstance(data, dict):
            data = {k: (" ".join(v.split()) if k in TEXT_FIELDS and isinstance(v, str) else v) for k, v in data.items()}
        return data


class RedFlag(_Rule):
    """A deterministic answer rule: if `when` holds, triage is at least `level`."""

    level: Level
    timing: str  # the timing its source gives, or "none given" and heelpath's choice
    title: str
    patient: str
    clinician: str
    safety_net: str
    suspects: list[str] = []

    @field_validator("when")
    @classmethod
    def _monotone(cls, when: Cond) -> Cond:
        banned = keys_used(when) - RED_FLAG_KEYS - {"finding"}
        if banned:
            raise ValueError(
                f"a red flag reads answers only (finding ids, all, any, at_least, age); not {sorted(banned)}"
            )
        return when


class TriageRule(_Rule):
    """A pattern or probability rule that can raise (never lower) the triage level."""

    level: Level
    timing: str  # the timing its source gives, or "none given" and heelpath's choice
    title: str
    patient: str
    clinician: str
    safety_net: str | None = None

    @field_validator("when")
    @classmethod
    def _no_next_step_atoms(cls, when: Cond) -> Cond:
        banned = keys_used(when) & NEXT_STEP_ONLY_KEYS
        if banned:
            raise ValueError(f"triage rules cannot use {sorted(banned)}")
        return when


class SafetyNetItem(_Rule):
    """Advice on when to seek care, shown when `when` holds (always when it is omitted)."""

    when: Cond | None = None  # type: ignore[assignment]
    patient: str
    clinician: str


class LevelText(_Strict):
    label: str  # the level's name as shown ("Self-care")
    patient: str
    clinician: str


class TriageFile(_Strict):
    default_level: Level
    levels: dict[Level, LevelText]
    rules: list[TriageRule]
    safety_net: list[SafetyNetItem]

    @model_validator(mode="after")
    def _every_level(self) -> TriageFile:
        missing = set(LEVELS) - set(self.levels)
        if missing:
            raise ValueError(f"levels: no text for {sorted(missing)}")
        return self


class Caution(_Rule):
    """A caution about reading the result (e.g. a sign that needs the other side checked)."""

    patient: str
    clinician: str


class AdviceFile(_Strict):
    """What every result says: the disclaimer, the general safety net, the cautions, and what to
    say when the answers fit none of the modelled causes."""

    disclaimer: str
    safety_net: str
    unexplained: Wording
    no_heel_finding: Wording
    cautions: list[Caution] = []

    @field_validator("disclaimer", "safety_net")
    @classmethod
    def _one_line(cls, text: str) -> str:
        return " ".join(text.split())


class NextStep(_Rule):
    """One piece of advice (whom to see, a test, a treatment, what to avoid) and when it applies."""

    section: Section
    patient: str
    clinician: str
    why: str
    who: str | None = None  # for `see`: the kind of clinician
    # for tests: the test(s) an item is about, shared by "do" and "do not" items of the same test
    test: str | list[str] | None = None

    @property
    def tests(self) -> tuple[str, ...]:
        if self.test is None:
            return ()
        return (self.test,) if isinstance(self.test, str) else tuple(self.test)


@dataclass(frozen=True, eq=False)
class RuleBook:
    """Every red flag, triage, next-step and caution rule, validated against the knowledge base.

    Each rule's ``when`` is compiled once (:func:`compile_when`); ``node(rule)`` gives it.
    """

    red_flags: tuple[RedFlag, ...]
    triage: TriageFile
    next_steps: tuple[NextStep, ...]
    advice: AdviceFile
    _nodes: dict[str, Node] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_nodes", {rule.id: compile_when(rule.when) for rule in self.all_rules()})

    def node(self, rule: _Rule) -> Node:
        """The compiled condition of a rule."""
        return self._nodes[rule.id]

    def red_flag(self, rule_id: str) -> RedFlag:
        return next(r for r in self.red_flags if r.id == rule_id)

    @property
    def triage_rules(self) -> tuple[TriageRule, ...]:
        return tuple(self.triage.rules)

    def all_rules(self) -> list[_Rule]:
        return [*self.red_flags, *self.triage.rules, *self.triage.safety_net, *self.next_steps, *self.advice.cautions]


def _read(path: Path) -> Any:
    try:
        return parse_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise KBSchemaError(f"{path.name}: not valid YAML ({exc})") from None


def _parse_list(model: type[M], raw: Any, where: str) -> list[M]:
    if not isinstance(raw, list):
        raise KBSchemaError(f"{where}: expected a list of rules")
    out = []
    for i, item in enumerate(raw):
        name = item.get("id", "?") if isinstance(item, dict) else "?"
        try:
            out.append(model.model_validate(item))
        except ValidationError as exc:
            raise KBSchemaError(f"{where} rule {i + 1} ({name}): {validation_problems(exc)}") from None
    return out


def _parse_file(model: type[M], path: Path) -> M:
    raw = _read(path)
    if not isinstance(raw, dict):
        raise KBSchemaError(f"{path.name}: expected a mapping")
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise KBSchemaError(f"{path.name}: {validation_problems(exc)}") from None


def load_rules_from(data_dir: Path, kb: KnowledgeBase) -> RuleBook:
    """Load and cross-check the rule files in `data_dir` against `kb`.

    Raises
    ------
    KBSchemaError
        A rule does not match the rule language (unknown key, wrong type, a probability in a red
        flag, ...).
    KBReferenceError
        A rule names a finding, condition, rule or reference that does not exist.
    """
    red_flags = _parse_list(RedFlag, _read(data_dir / "red_flags.yaml"), "red_flags.yaml")
    triage = _parse_file(TriageFile, data_dir / "triage_rules.yaml")
    steps = _parse_list(NextStep, _read(data_dir / "next_steps.yaml"), "next_steps.yaml")
    advice = _parse_file(AdviceFile, data_dir / "advice.yaml")
    book = RuleBook(red_flags=tuple(red_flags), triage=triage, next_steps=tuple(steps), advice=advice)
    check_rule_references(book, kb)
    return book


def check_rule_references(book: RuleBook, kb: KnowledgeBase) -> None:
    """Raise on the first id in a rule that points nowhere, or a duplicated rule id."""
    seen: set[str] = set()
    for rule in book.all_rules():
        if rule.id in seen:
            raise KBSchemaError(f"duplicate rule id {rule.id!r}")
        seen.add(rule.id)
    fired_ids = {r.id for r in (*book.red_flags, *book.triage.rules)}
    for rule in book.all_rules():
        where = f"rule {rule.id}"
        for ref in rule.source:
            if ref not in kb.references:
                raise KBReferenceError(f"{where}: unknown reference {ref!r}")
        if rule.when is None:
            continue
        for finding_id in findings_named(rule.when):
            if not kb.has_finding(finding_id):
                raise KBReferenceError(f"{where}: unknown finding {finding_id!r}")
            if kb.finding(finding_id).type != "boolean":
                raise KBReferenceError(f"{where}: {finding_id!r} is not a yes/no finding")
        for condition_id in conditions_named(rule.when):
            if not kb.has_condition(condition_id):
                raise KBReferenceError(f"{where}: unknown condition {condition_id!r}")
        for named in rules_named(rule.when):
            if named not in fired_ids:
                raise KBReferenceError(f"{where}: unknown red-flag or triage rule {named!r}")
        for condition_id in getattr(rule, "suspects", []):
            if not kb.has_condition(condition_id):
                raise KBReferenceError(f"{where}: suspects unknown condition {condition_id!r}")
        for c in walk(rule.when):
            if isinstance(c, Clause) and c.setting is not None and c.setting not in kb.header.settings.known:
                raise KBReferenceError(f"{where}: unknown setting {c.setting!r}")


def witness(cond: Cond, choose: Callable[[int], int] | None = None) -> tuple[set[str], float | None]:
    """Findings (answered present) and an age that make a monotone condition hold.

    Used by tests to add a red flag to an arbitrary case. Only the red-flag subset of the
    language is supported (finding ids, all, any, at_least, age). `choose(n)` picks which of n
    alternatives of an ``any`` to satisfy (default: the first).
    """
    choose = choose or (lambda n: 0)
    findings: set[str] = set()
    age: list[float] = []

    def visit(c: Cond) -> None:
        if isinstance(c, str):
            findings.add(c)
        elif c.all is not None:
            for child in c.all:
                visit(child)
        elif c.any is not None:
            visit(c.any[choose(len(c.any))])
        elif c.at_least is not None:
            start = choose(len(c.at_least.of) - c.at_least.n + 1)
            for child in c.at_least.of[start : start + c.at_least.n]:
                visit(child)
        elif c.age_at_least is not None:
            age.append(c.age_at_least)
        elif c.age_below is not None:
            age.append(c.age_below - 1)
        else:
            raise ValueError(f"no witness for a {c.key!r} condition")

    visit(cond)
    return findings, (age[0] if age else None)


# --------------------------------------------------------------------------- the compiled form

#: A condition compiled once into plain tuples, read by the three evaluators of
#: :mod:`heelpath.engine.rules` (with reasons, on arrays, and three-valued):
#:
#: ==========================================  ============================================
#: ``("present", finding)``                    answered present
#: ``("absent", finding)``                     answered absent
#: ``("unanswered", finding)``                 not answered
#: ``("count", need, (node, ...))``            at least ``need`` of the nodes hold (all, any, at_least)
#: ``("not", node)``                           the node does not hold
#: ``("age_at_least", years)``                 age >= years
#: ``("age_below", years)``                    age < years
#: ``("setting", setting)``                    the case's setting
#: ``("probability", (ids), at_least, below)`` P(any of the conditions) in [at_least, below)
#: ``("leading", (ids), at_least)``            the leading condition is one of them, with p >= at_least
#: ``("origin", origin, at_least, below)``     P(a cause of that origin) in [at_least, below)
#: ``("rule", rule_id)``                       that red flag or triage rule fired
#: ``("triage_at_least", rank)``               triage rank >= rank
#: ``("triage_below", rank)``                  triage rank < rank
#: ==========================================  ============================================
Node = tuple[Any, ...]


def compile_when(cond: Cond | dict[str, Any] | None) -> Node:
    """The compiled form of a condition (parsed or as written in YAML); ``None`` always holds.

    >>> compile_when({"any": ["fever", {"age_at_least": 50}]})
    ('count', 1, (('present', 'fever'), ('age_at_least', 50.0)))
    """
    if isinstance(cond, dict):
        cond = Clause.model_validate(cond)
    if cond is None:
        return ("count", 0, ())
    if isinstance(cond, str):
        return ("present", cond)
    if cond.all is not None:
        return ("count", len(cond.all), tuple(compile_when(child) for child in cond.all))
    if cond.any is not None:
        return ("count", 1, tuple(compile_when(child) for child in cond.any))
    if cond.at_least is not None:
        return ("count", cond.at_least.n, tuple(compile_when(child) for child in cond.at_least.of))
    if cond.not_ is not None:
        return ("not", compile_when(cond.not_))
    if (atom := cond.probability) is not None:
        return ("probability", tuple(atom.ids), atom.at_least, atom.below)
    if (leading := cond.leading) is not None:
        return ("leading", tuple(leading.conditions), leading.at_least)
    if (origin := cond.origin) is not None:
        return ("origin", origin.involves, origin.at_least, origin.below)
    if cond.triage_at_least is not None:
        return ("triage_at_least", level_rank(cond.triage_at_least))
    if cond.triage_below is not None:
        return ("triage_below", level_rank(cond.triage_below))
    key = cond.key  # absent, unanswered, age_at_least, age_below, setting, rule: one value
    return (key, getattr(cond, key))


def node_findings(node: Node) -> tuple[str, ...]:
    """The finding ids a compiled condition reads, in order of first appearance."""
    if node[0] in ("present", "absent", "unanswered"):
        return (node[1],)
    if node[0] == "count":
        return tuple(dict.fromkeys(f for child in node[2] for f in node_findings(child)))
    if node[0] == "not":
        return node_findings(node[1])
    return ()


def rules_table(book: RuleBook) -> str:
    """Every red flag and triage rule with its level, sources and the timing they give (Markdown;
    docs/triage-and-next-steps.md carries it, and a test keeps the two in step)."""
    lines = ["| rule | kind | level | sources | timing the sources give |", "|---|---|---|---|---|"]
    rules: list[tuple[str, RedFlag | TriageRule]] = [("red flag", r) for r in book.red_flags]
    rules += [("pattern", r) for r in book.triage.rules]
    for kind, rule in sorted(rules, key=lambda kr: (kr[0] != "red flag", -level_rank(kr[1].level), kr[1].id)):
        lines.append(f"| `{rule.id}` | {kind} | {rule.level} | {', '.join(rule.source)} | {rule.timing} |")
    return "\n".join(lines) + "\n"
