"""Nerve-lesion localisation: root level versus peripheral nerve versus polyneuropathy.

Each site in the knowledge base's localisation map scores the answered findings: a finding that
points to the site adds its weight when present, one that points away subtracts its weight.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from heelpath.knowledge.schema import LocalisationMap


@dataclass(frozen=True)
class SiteScore:
    site_id: str
    label: str
    level: str
    score: float
    for_findings: tuple[str, ...]
    against_findings: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Localisation:
    """Ranked lesion sites; `localised` holds those at or above the map's threshold."""

    sites: tuple[SiteScore, ...]
    threshold: float

    @property
    def localised(self) -> tuple[SiteScore, ...]:
        return tuple(s for s in self.sites if s.score >= self.threshold)

    @property
    def level(self) -> str | None:
        """root, peripheral, polyneuropathy, mixed, or None when nothing localises."""
        levels = {s.level for s in self.localised}
        if not levels:
            return None
        return levels.pop() if len(levels) == 1 else "mixed"


def localise(site_map: LocalisationMap, answers: Mapping[str, bool]) -> Localisation:
    """Score every site from the answered findings (True present, False absent)."""
    scores = []
    for site in site_map.sites:
        pro = tuple(f for f in site.supports if answers.get(f) is True)
        con = tuple(f for f in site.against if answers.get(f) is True)
        score = sum(site.supports[f] for f in pro) - sum(site.against[f] for f in con)
        if pro:
            scores.append(SiteScore(site.id, site.label, site.level, score, pro, con, tuple(site.sources)))
    scores.sort(key=lambda s: -s.score)
    return Localisation(tuple(scores), site_map.threshold)
