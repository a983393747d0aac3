"""Load the knowledge base from its data files and check its internal references.

>>> from heelpath.knowledge import load_kb
>>> kb = load_kb()
>>> kb.condition("plantar_fasciitis").origin
'local'
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from heelpath.errors import KBReferenceError, KBSchemaError, validation_problems
from heelpath.knowledge.schema import (
    ESTIMATE,
    Condition,
    Display,
    EvidenceRow,
    Finding,
    Group,
    KBHeader,
    LocalisationMap,
    Prior,
    PriorModifier,
    Reference,
    Screen,
)
from heelpath.knowledge.yaml_text import parse_yaml

DATA_DIR = Path(str(resources.files("heelpath.knowledge") / "data"))
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True, eq=False)
class KnowledgeBase:
    """The whole knowledge base, validated, with its version and content hash."""

    header: KBHeader
    conditions: tuple[Condition, ...]
    findings: tuple[Finding, ...]
    groups: tuple[Group, ...]
    evidence: tuple[EvidenceRow, ...]
    priors: tuple[Prior, ...]
    prior_modifiers: tuple[PriorModifier, ...]
    references: dict[str, Reference]
    localisation: LocalisationMap
    screens: tuple[Screen, ...]
    display: Display
    content_hash: str
    data_dir: Path
    _conditions: dict[str, Condition] = field(init=False, repr=False, compare=False)
    _findings: dict[str, Finding] = field(init=False, repr=False, compare=False)
    _priors: dict[tuple[str, str], Prior] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_conditions", {c.id: c for c in self.conditions})
        object.__setattr__(self, "_findings", {f.id: f for f in self.findings})
        object.__setattr__(self, "_priors", {(p.condition, p.setting): p for p in self.priors})

    @property
    def version(self) -> str:
        return self.header.version

    def condition(self, condition_id: str) -> Condition:
        return self._conditions[condition_id]

    def finding(self, finding_id: str) -> Finding:
        return self._findings[finding_id]

    def prior(self, condition_id: str, setting: str) -> Prior:
        """The starting probability of a condition in a setting (the model compiler requires one for every pair)."""
        return self._priors[condition_id, setting]

    def has_finding(self, finding_id: str) -> bool:
        return finding_id in self._findings

    def has_condition(self, condition_id: str) -> bool:
        return condition_id in self._conditions

    def provenance(self) -> dict[str, str]:
        """What every output carries: the knowledge-base version and content hash."""
        return {"kb_version": self.version, "kb_hash": self.content_hash}


def _parse(model: type[M], raw: Any, where: str) -> M:
    if not isinstance(raw, dict):
        raise KBSchemaError(f"{where}: expected a mapping, got {type(raw).__name__}")
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise KBSchemaError(f"{where}: {validation_problems(exc)}") from None


def _yaml_list(path: Path, model: type[M]) -> list[M]:
    raw = parse_yaml(path.read_text(encoding="utf-8")) or []
    if not isinstance(raw, list):
        raise KBSchemaError(f"{path.name}: expected a list of entries")
    return [_parse(model, item, f"{path.name} entry {i + 1} ({_id_of(item)})") for i, item in enumerate(raw)]


def _id_of(item: Any) -> str:
    return str(item.get("id", "?")) if isinstance(item, dict) else "?"


def _tsv(path: Path, model: type[M]) -> list[M]:
    lines = [
        (number, line)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not lines:
        return []
    header = [h.strip() for h in lines[0][1].split("\t")]
    rows = []
    for number, line in lines[1:]:
        values = line.split("\t")
        if len(values) > len(header):
            raise KBSchemaError(f"{path.name}:{number}: {len(values)} columns, header has {len(header)}")
        record: dict[str, Any] = {"origin": f"{path.name}:{number}"}
        for key, value in zip(header, values):
            value = value.strip()
            if value in ("", "-") and key not in ("condition", "finding", "factor", "setting"):
                continue
            record[key] = _number(value) if key in _NUMERIC else value
        rows.append(_parse(model, record, f"{path.name}:{number}"))
    return rows


_NUMERIC = {"sens", "spec", "lr_pos", "lr_neg", "prior", "multiplier"}


def _number(text: str) -> float | str:
    try:
        return float(text)
    except ValueError:
        return text  # the model rejects it with a message naming the column


def content_hash(data_dir: Path) -> str:
    """SHA-256 over every data file's relative path and bytes, in path order."""
    digest = hashlib.sha256()
    for path in sorted(p for p in data_dir.rglob("*") if p.is_file()):
        digest.update(path.relative_to(data_dir).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def load_kb_from(data_dir: Path) -> KnowledgeBase:
    """Load and cross-check the knowledge base in `data_dir`.

    Raises
    ------
    KBSchemaError
        A file or entry does not match its schema.
    KBReferenceError
        An entry names a condition, finding, group or reference that does not exist.
    """
    header = _parse(KBHeader, parse_yaml((data_dir / "kb.yaml").read_text()), "kb.yaml")
    references: dict[str, Reference] = {}
    for path in sorted(data_dir.glob("references*.yaml")):
        for ref in _yaml_list(path, Reference):
            if ref.id in references:
                raise KBSchemaError(f"{path.name}: duplicate reference id {ref.id!r}")
            references[ref.id] = ref
    evidence: list[EvidenceRow] = []
    for path in sorted((data_dir / "evidence").glob("*.tsv")):
        evidence.extend(_tsv(path, EvidenceRow))
    kb = KnowledgeBase(
        header=header,
        conditions=tuple(_yaml_list(data_dir / "conditions.yaml", Condition)),
        findings=tuple(_yaml_list(data_dir / "findings.yaml", Finding)),
        groups=tuple(_yaml_list(data_dir / "groups.yaml", Group)),
        evidence=tuple(evidence),
        priors=tuple(_tsv(data_dir / "priors.tsv", Prior)),
        prior_modifiers=tuple(_tsv(data_dir / "prior_modifiers.tsv", PriorModifier)),
        references=references,
        localisation=_parse(LocalisationMap, parse_yaml((data_dir / "localisation.yaml").read_text()), "localisation.yaml"),
        screens=tuple(_yaml_list(data_dir / "screens.yaml", Screen)),
        display=_parse(Display, parse_yaml((data_dir / "display.yaml").read_text()), "display.yaml"),
        content_hash=content_hash(data_dir),
        data_dir=data_dir,
    )
    check_references(kb)
    return kb


def check_references(kb: KnowledgeBase) -> None:
    """Raise KBReferenceError on the first id that points nowhere."""
    _unique("condition", [c.id for c in kb.conditions])
    _unique("finding", [f.id for f in kb.findings])
    _unique("group", [g.id for g in kb.groups])

    def cited(source: str | None, where: str) -> None:
        if source and source != ESTIMATE and source not in kb.references:
            raise KBReferenceError(f"{where}: unknown reference {source!r}")

    for f in kb.findings:
        cited(f.reference_source, f"finding {f.id}")
        if f.unexplained_rate is not None:
            if not f.unexplained_source:
                raise KBReferenceError(f"finding {f.id}: unexplained_rate needs unexplained_source (a reference or 'estimate')")
            cited(f.unexplained_source, f"finding {f.id} unexplained_source")
        for target in [d.finding for d in f.derives] + [o.derives for o in f.options if o.derives]:
            _need_finding(kb, target, f"finding {f.id} derives")
        if f.bilateral_variant:
            _need_finding(kb, f.bilateral_variant, f"finding {f.id} bilateral_variant")
        if f.group and f.group not in {g.id for g in kb.groups}:
            raise KBReferenceError(f"finding {f.id}: unknown group {f.group!r}")
    grouped: dict[str, str] = {}
    for g in kb.groups:
        cited(g.source, f"group {g.id}")
        for member in g.members:
            _need_finding(kb, member, f"group {g.id}")
            if member in grouped:
                raise KBReferenceError(f"finding {member!r} is in groups {grouped[member]!r} and {g.id!r}")
            grouped[member] = g.id
            if kb.finding(member).group != g.id:
                raise KBReferenceError(f"group {g.id}: member {member!r} does not name the group")
    for row in kb.evidence:
        if not kb.has_condition(row.condition):
            raise KBReferenceError(f"{row.origin}: unknown condition {row.condition!r}")
        _need_finding(kb, row.finding, row.origin)
        if kb.finding(row.finding).type != "boolean":
            raise KBReferenceError(f"{row.origin}: evidence must attach to a boolean finding, not {row.finding!r}")
        cited(row.reference, row.origin)
    priors: list[Prior | PriorModifier] = [*kb.priors, *kb.prior_modifiers]
    for item in priors:
        if not kb.has_condition(item.condition):
            raise KBReferenceError(f"{item.origin}: unknown condition {item.condition!r}")
        cited(item.reference, item.origin)
    for p in kb.priors:
        if p.setting not in kb.header.settings.known:
            raise KBReferenceError(f"{p.origin}: unknown setting {p.setting!r}")
    for site in kb.localisation.sites:
        for source in site.sources:
            cited(source, f"localisation site {site.id}")
        for finding_id in (*site.supports, *site.against):
            _need_finding(kb, finding_id, f"localisation site {site.id}")
    cited(kb.header.model.comorbidity_prior_source, "kb.yaml comorbidity_prior_source")
    if kb.header.model.unexplained_prior > 0:
        if not kb.header.model.unexplained_prior_source:
            raise KBReferenceError("kb.yaml: unexplained_prior needs unexplained_prior_source (a reference or 'estimate')")
        cited(kb.header.model.unexplained_prior_source, "kb.yaml unexplained_prior_source")
    regions = {f.region for f in kb.findings}
    for heel_region in kb.header.model.heel_regions:
        if heel_region not in regions:
            raise KBReferenceError(f"kb.yaml heel_regions: no finding has region {heel_region!r}")
    _unique("screen", [s.id for s in kb.screens])
    screened: dict[str, str] = {}
    for screen in kb.screens:
        for member in screen.members:
            _need_finding(kb, member, f"screens.yaml {screen.id}")
            if member in screened:
                raise KBReferenceError(f"finding {member!r} is on screens {screened[member]!r} and {screen.id!r}")
            screened[member] = screen.id
    for region in kb.display.body_map:
        _need_finding(kb, region.finding, f"display.yaml body_map {region.id}")
    sites = {site.id for site in kb.localisation.sites}
    for area in kb.display.site_areas:
        if area.site not in sites:
            raise KBReferenceError(f"display.yaml site_areas: unknown localisation site {area.site!r}")


def _need_finding(kb: KnowledgeBase, finding_id: str, where: str) -> None:
    if not kb.has_finding(finding_id):
        raise KBReferenceError(f"{where}: unknown finding {finding_id!r}")


def _unique(kind: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise KBSchemaError(f"duplicate {kind} id {item!r}")
        seen.add(item)


@lru_cache(maxsize=1)
def load_kb() -> KnowledgeBase:
    """The knowledge base shipped inside the package (loaded once per process)."""
    return load_kb_from(DATA_DIR)
