"""Deep checks of the knowledge base, beyond what loading already enforces.

Loading checks schemas and that every id points somewhere (findings, rules, screens, lexicon,
advice and cautions included). Validation adds numeric sanity
(LRs consistent with sensitivity and specificity), code checks (ICD-10-CM against the official
code set, SNOMED CT and LOINC check digits) and coverage (every condition has priors and evidence).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from heelpath.knowledge.codes import Code, load_codes_from, loinc_check_digit_valid
from heelpath.knowledge.loader import KnowledgeBase
from heelpath.knowledge.schema import ESTIMATE

LR_TOLERANCE = 0.25  # relative; published LRs are rounded and sometimes from pooled estimates


@dataclass
class ValidationReport:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def validate(kb: KnowledgeBase, check_icd: bool = True) -> ValidationReport:
    report = ValidationReport()
    _rules(kb, report)
    _lexicon(kb, report)
    _numbers(kb, report)
    _coverage(kb, report)
    _snomed(kb, report)
    codes = _codes(kb, report)
    if check_icd:
        _icd10cm(kb, report, codes)
    qualities: dict[str, int] = {}
    for row in kb.evidence:
        qualities[row.quality] = qualities.get(row.quality, 0) + 1
    report.counts = {
        **report.counts,
        "conditions": len(kb.conditions),
        "findings": len(kb.findings),
        "evidence_rows": len(kb.evidence),
        "references": len(kb.references),
        "priors": len(kb.priors),
        **{f"rows_{q}": n for q, n in sorted(qualities.items())},
    }
    return report


def _rules(kb: KnowledgeBase, report: ValidationReport) -> None:
    """Triage and next-step rules load and name only ids that exist."""
    from heelpath.errors import KnowledgeBaseError
    from heelpath.knowledge.rules import load_rules_from

    try:
        book = load_rules_from(kb.data_dir, kb)
    except KnowledgeBaseError as exc:
        report.errors.append(f"rules: {exc}")
        return
    report.counts["red_flags"] = len(book.red_flags)
    report.counts["triage_rules"] = len(book.triage.rules)
    report.counts["next_steps"] = len(book.next_steps)


def _lexicon(kb: KnowledgeBase, report: ValidationReport) -> None:
    """The text-intake lexicon loads, names only findings that exist, and covers every red flag."""
    from heelpath.errors import KnowledgeBaseError
    from heelpath.knowledge.lexicon import READER_FILE, load_lexicon_from
    from heelpath.knowledge.rules import load_rules_from, node_findings

    try:
        lexicon = load_lexicon_from(kb.data_dir, kb)
        book = load_rules_from(kb.data_dir, kb)
    except KnowledgeBaseError as exc:
        report.errors.append(f"lexicon: {exc}")
        return
    report.counts["lexicon_findings"] = len(lexicon.findings)
    if lexicon.reader is not None:
        report.counts["reader_warning_signs"] = len(lexicon.reader.labels)
        not_signs = [label for label in lexicon.reader.labels if not lexicon.is_warning_sign(label)]
        if not_signs:
            report.errors.append(f"{READER_FILE}: the reader asks only warning signs, not {', '.join(not_signs)}")
    red_flag_findings = {f for flag in book.red_flags for f in node_findings(book.node(flag))
                         if kb.finding(f).answered_by == "patient" and not kb.finding(f).derived}
    unread = sorted(red_flag_findings - set(lexicon.findings))
    if unread:
        report.warnings.append(f"lexicon: no words for the red-flag findings {', '.join(unread)}")


def _numbers(kb: KnowledgeBase, report: ValidationReport) -> None:
    cap = kb.header.model.lr_cap
    for row in kb.evidence:
        where = f"{row.origin} ({row.condition} x {row.finding})"
        if row.sens is not None and row.spec is not None:
            implied_pos = row.sens / max(1 - row.spec, row.sens / cap)
            implied_neg = (1 - row.sens) / row.spec
            if row.lr_pos is not None and not _close(row.lr_pos, implied_pos) and row.spec < 1:
                report.errors.append(f"{where}: LR+ {row.lr_pos} disagrees with sens/spec (implies {implied_pos:.2f})")
            if row.lr_neg is not None and row.lr_neg > 0 and not _close(row.lr_neg, implied_neg):
                report.errors.append(f"{where}: LR- {row.lr_neg} disagrees with sens/spec (implies {implied_neg:.2f})")
        if row.sens is None and row.lr_pos is not None:
            base = (1 - row.spec) if row.spec is not None else kb.finding(row.finding).reference_rate
            if base is not None and row.lr_pos * base >= 1:
                report.errors.append(f"{where}: LR+ {row.lr_pos} x base rate {base} implies P >= 1")
        if row.quality == ESTIMATE and not row.note:
            report.warnings.append(f"{where}: an estimate without a note saying what it rests on")
    for p in kb.priors:
        if p.quality == ESTIMATE and not p.note:
            report.warnings.append(f"{p.origin}: prior estimate without a note")
    for setting in kb.header.settings.known:
        given = {p.condition for p in kb.priors if p.setting == setting}
        missing = [c.id for c in kb.conditions if c.id not in given]
        if missing:
            report.errors.append(f"priors.tsv: setting {setting!r} has no prior for {missing}")
    for f in kb.findings:
        if f.reference_rate is not None and f.reference_source == ESTIMATE:
            continue  # an explicit estimate mark is allowed
        if f.reference_rate is not None and not f.reference_source:
            report.errors.append(f"finding {f.id}: reference_rate has no source or estimate mark")


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= LR_TOLERANCE * max(abs(a), abs(b), 1e-9) + 0.05


def _coverage(kb: KnowledgeBase, report: ValidationReport) -> None:
    rows_per_condition = {c.id: 0 for c in kb.conditions}
    for row in kb.evidence:
        rows_per_condition[row.condition] += 1
    for condition_id, n in rows_per_condition.items():
        if n == 0:
            report.errors.append(f"condition {condition_id}: no evidence rows")
        elif n < 5:
            report.warnings.append(f"condition {condition_id}: only {n} evidence rows")


def verhoeff_valid(number: str) -> bool:
    """True when the last digit of `number` is its correct Verhoeff check digit."""
    d = [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
        [2, 3, 4, 0, 1, 7, 8, 9, 5, 6], [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
        [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
        [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
        [8, 7, 6, 5, 9, 3, 2, 1, 0, 4], [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
    ]
    p = [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
        [5, 8, 0, 3, 7, 9, 6, 1, 4, 2], [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
        [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
        [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
    ]
    check = 0
    for i, digit in enumerate(reversed(number)):
        check = d[check][p[i % 8][int(digit)]]
    return check == 0


def _codes(kb: KnowledgeBase, report: ValidationReport) -> list[Code]:
    """The terminology map loads; its SNOMED CT and LOINC codes pass their check digits."""
    from heelpath.errors import KnowledgeBaseError
    from heelpath.knowledge.rules import load_rules_from

    try:
        book = load_rules_from(kb.data_dir, kb)
        codes = list(load_codes_from(kb.data_dir, kb, (t for step in book.next_steps for t in step.tests)).all_codes())
    except KnowledgeBaseError as exc:
        report.errors.append(f"codes: {exc}")
        return []
    for code in codes:
        if code.system == "snomed" and not (code.code.isdigit() and verhoeff_valid(code.code)):
            report.errors.append(f"codes.yaml: SNOMED CT id {code.code} fails its Verhoeff check digit")
        if code.system == "loinc" and not loinc_check_digit_valid(code.code):
            report.errors.append(f"codes.yaml: LOINC code {code.code} fails its check digit")
    report.counts["codes"] = len(codes)
    return codes


def _snomed(kb: KnowledgeBase, report: ValidationReport) -> None:
    for c in kb.conditions:
        if c.snomed is not None and not verhoeff_valid(c.snomed):
            report.errors.append(f"condition {c.id}: SNOMED CT id {c.snomed} fails its Verhoeff check digit")


def _icd10cm(kb: KnowledgeBase, report: ValidationReport, codes: list[Code]) -> None:
    try:
        import simple_icd_10_cm as cm  # slow import (parses the code set): only here
    except ImportError:
        report.warnings.append("simple-icd-10-cm is not installed: ICD-10-CM codes not checked")
        return
    for c in kb.conditions:
        for code in c.icd10cm:
            if not cm.is_valid_item(code):
                report.errors.append(f"condition {c.id}: {code} is not in the ICD-10-CM code set")
            elif not cm.is_leaf(code):
                report.warnings.append(f"condition {c.id}: {code} is a category, not a billable code")
    for entry in codes:
        for excluded in entry.excluding:
            if not cm.is_valid_item(excluded):
                report.errors.append(f"codes.yaml: {excluded} (excluded under {entry.code}) is not in the ICD-10-CM code set")
        if entry.system == "icd10cm" and not cm.is_valid_item(entry.code):
            report.errors.append(f"codes.yaml: {entry.code} is not in the ICD-10-CM code set")
        elif entry.system == "icd10cm" and not entry.prefix and not cm.is_leaf(entry.code):
            report.errors.append(f"codes.yaml: {entry.code} is a category: mark it `prefix: true` to match its codes")
