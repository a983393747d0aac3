"""The medspaCy pipeline: blank English, medspaCy tokenizer, sentences, TargetMatcher, ConText.

spaCy and medspaCy are imported here, inside :func:`build_pipeline`, so ``import heelpath`` stays
fast; the pipeline is built once per process and cached. It never calls ``spacy.load`` (no model
download): the rules come from the lexicon and medspaCy's bundled ConText rules.

Sentences are split by a small rule-based splitter (:mod:`heelpath.services.intake.sentences`) by
default: medspaCy's PyRuSH splitter gave the same results on the evaluation corpus but took 40% of
the time of a short text. ``build_pipeline(..., sentences="pyrush")`` selects it.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from heelpath.knowledge.lexicon import Lexicon
from heelpath.services.intake.answers import reply_pattern
from heelpath.services.intake.scope import adjacent_scope, list_scope, predicate_scope, sentence_scope
from heelpath.services.intake.sentences import COMPONENT_NAME as SENTENCES_COMPONENT
from heelpath.services.intake.sentences import register as register_sentences

SPAN_GROUP = "heelpath_findings"
# warning-sign topics: matched apart, so that they neither merge with a finding's own matches nor take
# a negation cue from them, and read by no ConText rule (a topic is never counted, only asked)
TOPIC_GROUP = "heelpath_topics"
FAMILY_DISEASE = "family_disease"  # match kind of an SpA-spectrum disease name (counts only in a relative)
SentenceSplitter = Literal["rules", "pyrush"]


@dataclass(frozen=True)
class IntakePipeline:
    """A built spaCy ``Language`` with the lexicon it was built from."""

    nlp: Any
    lexicon: Lexicon

    def __call__(self, text: str) -> Any:
        """Run the pipeline; the finding matches are in ``doc.spans[SPAN_GROUP]``."""
        return self.nlp(text)


@lru_cache(maxsize=2)
def get_pipeline(lexicon: Lexicon) -> IntakePipeline:
    """The pipeline of a lexicon, built on first use and kept."""
    return build_pipeline(lexicon)


def build_pipeline(lexicon: Lexicon, sentences: SentenceSplitter = "rules") -> IntakePipeline:
    """Build the medspaCy pipeline for a lexicon.

    Parameters
    ----------
    lexicon
        A validated lexicon (``heelpath.load().lexicon``).
    sentences
        ``"rules"`` (:mod:`heelpath.services.intake.sentences`, the default) or ``"pyrush"``
        (medspaCy's PyRuSH).
    """
    import medspacy  # noqa: F401  (registers the medspaCy factories and span extensions)
    import spacy
    from medspacy.custom_tokenizer import create_medspacy_tokenizer

    # medspaCy's matcher holds an empty token Matcher (all rules here are phrases or patterns)
    warnings.filterwarnings("ignore", message=r"\[W036\]")

    nlp = spacy.blank("en")
    nlp.tokenizer = create_medspacy_tokenizer(nlp)
    if sentences == "pyrush":
        from loguru import logger

        # PyRuSH logs a DEBUG line per token through loguru; silence that library only
        logger.disable("PyRuSH")
        nlp.add_pipe("medspacy_pyrush", config={"rules_path": str(_medspacy_resource("rush_rules.tsv"))})
    elif sentences == "rules":
        register_sentences()
        nlp.add_pipe(SENTENCES_COMPONENT)
    else:
        raise ValueError(f"sentences must be 'rules' or 'pyrush', got {sentences!r}")
    # before the findings' matcher: span extensions are keyed by offsets, so where a topic and a
    # finding match the same words, the finding's rule must be the one written last
    topics: Any = nlp.add_pipe(
        "medspacy_target_matcher", name="heelpath_topics",
        config={"result_type": "group", "span_group_name": TOPIC_GROUP, "prune": False},
    )
    topics.add(target_rules(lexicon, topics=True))
    matcher: Any = nlp.add_pipe(
        "medspacy_target_matcher",
        config={"result_type": "group", "span_group_name": SPAN_GROUP, "prune": False},
    )
    matcher.add(target_rules(lexicon))
    context: Any = nlp.add_pipe(
        "medspacy_context",
        config={
            "rules": None,
            "input_span_type": "group",
            "span_group_name": SPAN_GROUP,
            "prune_on_target_overlap": True,
        },
    )
    context.add(context_rules(lexicon))
    return IntakePipeline(nlp=nlp, lexicon=lexicon)


def target_rules(lexicon: Lexicon, topics: bool = False) -> list[Any]:
    """medspaCy ``TargetRule`` objects for every phrase and pattern in the lexicon (``topics``: for
    the warning-sign topics only)."""
    from medspacy.target_matcher import TargetRule

    rules = []
    for entry in lexicon.findings.values():
        for spec in entry.targets:
            if (spec.kind == "topic") == topics:
                rules.extend(_rules_for(TargetRule, spec.finding_id, spec.kind, spec.phrases, spec.patterns))
    if topics:
        return rules
    family = lexicon.family_history
    rules.extend(_rules_for(TargetRule, family.finding_id, FAMILY_DISEASE, family.phrases, family.patterns))
    return rules


def context_rules(lexicon: Lexicon) -> list[Any]:
    """medspaCy's default ConText rules, less those the lexicon replaces, plus the lexicon's own.

    Each rule gets a scope callback: forward and two-way cues run along a list but stop at a new
    statement ("not" and its kin stop at a comma, a denial also at "just" and its kin); backward cues
    ("neg", "normal") do not cross punctuation.
    """
    from medspacy.context import ConTextRule

    defaults = [
        rule
        for rule in ConTextRule.from_json(str(_medspacy_resource("context_rules.json")))
        if rule.literal.lower() not in lexicon.remove_default_context
    ]
    signs = {finding_id.upper() for finding_id in lexicon.findings if lexicon.is_warning_sign(finding_id)}
    own = [
        ConTextRule(
            literal=spec.literal,
            category=spec.category,
            pattern=spec.pattern,
            direction=spec.direction,
            max_scope=spec.max_scope,
            terminated_by=set(spec.terminated_by) or None,
            allowed_types=signs | {f.upper() for f in spec.also_modifies} if spec.warning_signs_only else None,
        )
        for spec in lexicon.context_rules
    ]
    words = lexicon.scope
    mentions = (SPAN_GROUP, TOPIC_GROUP)
    backward = {"settles": adjacent_scope(words, mentions), "open": adjacent_scope(words, mentions, settles=False)}
    # a denial ends where what the person has begins ("no fever just numbness down below")
    denial = {"predicate": predicate_scope(words, denial=True, mentions=mentions),
              "list": list_scope(words, denial=True, mentions=mentions)}
    other = {"predicate": predicate_scope(words), "list": list_scope(words)}
    sexes = lexicon.demographics.proxy.sex_of_relation
    relative = {"predicate": predicate_scope(words), "list": list_scope(words, relative=True, sexes=sexes)}
    conditional = {"predicate": predicate_scope(words), "list": list_scope(words, conditional=True)}
    past = {"predicate": predicate_scope(words), "list": list_scope(words, past=True)}
    by_category = {"NEGATED_EXISTENCE": denial, "FAMILY": relative, "OTHER_PERSON": relative, "ANIMAL": relative,
                   "HYPOTHETICAL": conditional, "WARNING_LIST": conditional, "HISTORICAL": past}
    for rule in defaults + own:
        direction = rule.direction.upper()
        scopes = by_category.get(rule.category.upper(), other)
        if direction in ("FORWARD", "BIDIRECTIONAL"):
            rule.on_modifies = scopes["predicate" if rule.literal.lower() in words.comma_ends else "list"]
        elif direction == "BACKWARD":
            open_ended = rule.category.upper() in ("HYPOTHETICAL", "POSSIBLE_EXISTENCE")
            rule.on_modifies = backward["open" if open_ended else "settles"]
    for rule, spec in zip(own, lexicon.context_rules, strict=True):
        if spec.whole_sentence:  # medspaCy's own scope, the sentence up to max_scope tokens; a past until it says "now"
            rule.on_modifies = sentence_scope if spec.category == "HISTORICAL" else None
    # a "no" to advice ends the advice: what follows it is the writer's own ("... if I can't pee - I haven't,
    # it's just my back")
    reply = ConTextRule(literal="a no to advice", category="ADVICE_REPLY", direction="TERMINATE",
                        pattern=reply_pattern(lexicon.answers).pattern)
    return [*defaults, *own, reply]


def _rules_for(
    rule_class: Any, finding_id: str, kind: str, phrases: tuple[str, ...], patterns: tuple[str, ...]
) -> list[Any]:
    metadata = {"kind": kind}
    rules = [rule_class(literal=phrase, category=finding_id, metadata=metadata) for phrase in phrases]
    rules.extend(
        rule_class(
            literal=f"{finding_id}/{kind}/{i}", category=finding_id, pattern=pattern, metadata=metadata
        )
        for i, pattern in enumerate(patterns)
    )
    return rules


def _medspacy_resource(name: str) -> Path:
    """A file from medspaCy's English resources (installed beside the package, not inside it)."""
    import medspacy

    path = Path(medspacy.__file__).resolve().parents[1] / "resources" / "en" / name
    if not path.is_file():
        raise FileNotFoundError(f"medspaCy resource {name} not found at {path}; reinstall medspacy")
    return path
