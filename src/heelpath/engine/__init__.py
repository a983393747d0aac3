"""Engine: pure NumPy inference over the compiled knowledge base; no I/O."""

from heelpath.engine.inference import (
    Posterior,
    evidence_vector,
    given_explained,
    given_explained_columns,
    infer,
    infer_batch,
    leave_one_out_log_odds,
    origin_label,
    origin_probabilities,
)
from heelpath.engine.information import expected_information_gain, joint_information_gain
from heelpath.engine.model import CompiledModel, compile_model

__all__ = [
    "CompiledModel",
    "expected_information_gain",
    "Posterior",
    "compile_model",
    "evidence_vector",
    "given_explained",
    "given_explained_columns",
    "infer",
    "infer_batch",
    "joint_information_gain",
    "leave_one_out_log_odds",
    "origin_label",
    "origin_probabilities",
]
