"""Load the public vignette suite (cases/vignettes/*.json): the validation package's loader."""

from __future__ import annotations

from heelpath.services.validation.suites import default_cases_dir, load_suite, top_k_correct

VIGNETTE_DIR = default_cases_dir() / "vignettes"
__all__ = ["VIGNETTE_DIR", "load_vignettes", "top_k_correct"]


def load_vignettes() -> list[dict]:
    return load_suite(VIGNETTE_DIR)
