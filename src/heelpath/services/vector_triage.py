"""Triage of many answer sets at once: the rule book's red flags and triage rules on arrays.

It gives the level :func:`heelpath.services.triage.triage` gives on the full assessment of the
same answers (a test checks this); the interview's look-ahead uses it to triage hypothetical
answers in batches.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from heelpath.engine import CompiledModel
from heelpath.engine.inference import given_explained_columns
from heelpath.engine.model import ORIGIN_KEYS, UNEXPLAINED
from heelpath.engine.rules import VectorFacts, VectorLayout, projection_keys, vector
from heelpath.knowledge.rules import level_rank

if TYPE_CHECKING:
    from heelpath.services.context import Heelpath


class VectorTriage:
    """The triage rank (0 self-care ... 4 emergency) of N answer sets.

    ``projection`` (S, K) maps a posterior over states to the probabilities the rules read: each
    condition's marginal first, then "any of" groups and origins.
    """

    def __init__(self, context: Heelpath) -> None:
        model, book = context.model, context.rules
        n_c = len(model.condition_ids)
        flags = [book.node(r) for r in book.red_flags]
        rules = [book.node(r) for r in book.triage.rules]
        columns: dict[object, int] = {c: i for i, c in enumerate(model.condition_ids)}
        blocks = [model.membership]
        for key in projection_keys(rules):
            columns[key] = n_c + len(blocks) - 1
            if key[0] == "origin":
                blocks.append(model.origin_involvement[:, [ORIGIN_KEYS.index(key[1])]])
            else:
                cols = [model.condition_index[c] for c in key]
                blocks.append(model.membership[:, cols].max(axis=1)[:, None])
        # the last column is P(unexplained): the other columns are read given a modelled cause
        blocks.append(model.open_world[:, None])
        self._unexplained_column = n_c + len(blocks) - 2
        columns[("origin", UNEXPLAINED)] = self._unexplained_column
        self.projection = np.ascontiguousarray(np.concatenate(blocks, axis=1))
        self.model = model
        layout = VectorLayout(model.feature_index, columns, n_c, model.condition_index)
        self._red_flags = [vector(node, layout) for node in flags]
        self._rules = [vector(node, layout) for node in rules]
        self._ranks = np.array([level_rank(r.level) for r in book.red_flags] + [level_rank(r.level) for r in book.triage.rules])
        self._default = level_rank(book.triage.default_level)

    def given_explained(self, projected: np.ndarray) -> np.ndarray:
        """``posteriors @ projection`` as the rules read it: given a modelled cause, except P(unexplained)."""
        return given_explained_columns(projected, self._unexplained_column)

    def levels(self, evidence: np.ndarray, projected: np.ndarray, age: float | np.ndarray, setting: str,
               any_side: np.ndarray) -> np.ndarray:
        """(N,) triage rank of each row; ``any_side`` ((F,) or (N, F)) marks findings answered
        present on either side, which red flags count too."""
        return self.evaluate(evidence, projected, age, setting, any_side)[0]

    def evaluate(self, evidence: np.ndarray, projected: np.ndarray, age: float | np.ndarray, setting: str,
                 any_side: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(N,) triage rank of each row, and (R, N) which red flag (rule book order) fired on which row."""
        projected = self.given_explained(projected)
        ages = age if isinstance(age, np.ndarray) else float(age)
        flags = VectorFacts(evidence, projected, ages, setting, extra_present=any_side)
        facts = VectorFacts(evidence, projected, ages, setting)
        red = np.array([check(flags) for check in self._red_flags]).reshape(len(self._red_flags), len(evidence))
        fired = np.vstack([red, *(check(facts)[None, :] for check in self._rules)])
        rank = np.where(fired, self._ranks[:, None], -1).max(axis=0)
        return np.where(rank < 0, self._default, rank), red


@lru_cache(maxsize=4)
def vector_triage(context: Heelpath) -> VectorTriage:
    """The array triage of a loaded knowledge base (built once per context)."""
    return VectorTriage(context)


def any_side_present(model: CompiledModel, given: dict[str, Any]) -> np.ndarray:
    """(F,) bool: answered present on either side (what a red flag reads beyond the evidence)."""
    out = np.zeros(len(model.feature_ids), dtype=bool)
    for finding_id, value in given.items():
        if finding_id in model.feature_index and (
            value is True or (isinstance(value, dict) and value.get("present") is True)
        ):
            out[model.feature_index[finding_id]] = True
    return out
