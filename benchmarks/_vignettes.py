"""Load the public vignette suite (cases/vignettes/*.json)."""

from __future__ import annotations

import json
from pathlib import Path

VIGNETTE_DIR = Path(__file__).resolve().parent.parent / "cases" / "vignettes"


def load_vignettes() -> list[dict]:
    return [json.loads(p.read_text()) | {"_file": p.name} for p in sorted(VIGNETTE_DIR.glob("*.json"))]


def top_k_correct(ranked_ids: list[str], gold: list[str], k: int) -> bool:
    """Top-1: the first cause is a gold cause. Top-k (k > 1): every gold cause (up to k) is in the top k."""
    if k == 1:
        return ranked_ids[0] in gold
    return all(g in ranked_ids[:k] for g in gold[:k])
