"""Speed of a single assessment and of batch scoring, on one core.

Run: .venv/bin/python benchmarks/speed.py [--cases N]
"""

from __future__ import annotations

import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"  # one core, before NumPy loads

import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

import heelpath  # noqa: E402
from heelpath.engine import evidence_vector, infer, infer_batch  # noqa: E402
from heelpath.services.assessment import assess  # noqa: E402
from heelpath.services.case import Case  # noqa: E402

CASE = {
    "setting": "primary_care", "age": 47, "sex": "male", "side": "left",
    "findings": {"pain_under_heel": True, "first_step_pain": False, "leg_pain_radiating_below_knee": True,
                 "tingling_pins_needles": True, "slr_positive": True, "ankle_reflex_reduced": True,
                 "plantar_flexion_weakness": True, "medial_calcaneal_tubercle_tenderness": False,
                 "bladder_dysfunction": False, "duration_weeks": 5},
}


def timed(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def main(n_cases: int) -> None:
    context = heelpath.load()
    model = context.model
    case = Case.from_data(CASE)
    context.assess(case)  # warm caches
    vector = evidence_vector(model, {k: v for k, v in CASE["findings"].items() if isinstance(v, bool)})
    log_prior = model.log_prior("primary_care", 47, "male")

    engine = timed(lambda: infer(model, vector, log_prior), 5000)
    service = timed(lambda: assess(case, model), 2000)
    full = timed(lambda: context.assess(case), 500)
    as_json = timed(lambda: context.assess(case).to_json(), 500)
    print(f"states {model.n_states}, findings {len(model.feature_ids)}, conditions {len(model.condition_ids)}")
    for name, times in (("engine posterior", engine), ("assessment (posterior + explanation)", service),
                        ("full typed result (+ localisation, triage, next steps)", full),
                        ("full result as its JSON dictionary", as_json)):
        print(f"{name:<60} median {statistics.median(times) * 1e3:.3f} ms, "
              f"p99 {np.percentile(times, 99) * 1e3:.3f} ms")

    rng = np.random.default_rng(0)
    evidence = np.full((n_cases, len(model.feature_ids)), -1, dtype=np.int8)
    answered = rng.random(evidence.shape) < 0.15  # about 17 answered findings a case
    evidence[answered] = rng.integers(0, 2, answered.sum())
    start = time.perf_counter()
    marginals = infer_batch(model, evidence, log_prior)
    elapsed = time.perf_counter() - start
    assert np.isfinite(marginals).all()
    print(f"batch: {n_cases:,} cases in {elapsed:.2f} s on one core = {n_cases / elapsed * 60:,.0f} cases per minute")


if __name__ == "__main__":
    n = int(sys.argv[sys.argv.index("--cases") + 1]) if "--cases" in sys.argv else 1_000_000
    main(n)
