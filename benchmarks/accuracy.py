"""Diagnostic accuracy on the public vignette suite.

Reports top-1, top-3 and origin accuracy for clinician and lay cases, and lists the misses.
With --text, each vignette is assessed from its narrative alone (the text intake reads the
findings; only setting, age and sex are passed as a form would), to compare with the structured run.
Run: .venv/bin/python benchmarks/accuracy.py [--misses] [--text]
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import heelpath
from _vignettes import load_vignettes, top_k_correct


def result_of(context: heelpath.Heelpath, vignette: dict, from_text: bool) -> dict:
    """The result as its JSON dictionary, from the structured case or from the narrative text."""
    if not from_text:
        return context.assess(vignette["case"]).to_json()
    given = {k: vignette["case"][k] for k in ("setting", "age", "sex") if k in vignette["case"]}
    return context.assess(given, text=vignette["narrative"]).to_json()


def main(show_misses: bool, from_text: bool = False) -> None:
    vignettes = load_vignettes()
    tallies: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    misses = []
    context = heelpath.load()
    for v in vignettes:
        result = result_of(context, v, from_text)
        ranked = [d["id"] for d in result["differential"]]
        gold = v["gold"]["conditions"]
        for group in (v["mode"], "all"):
            t = tallies[group]
            t["n"] += 1
            t["top1"] += top_k_correct(ranked, gold, 1)
            t["top3"] += top_k_correct(ranked, gold, 3)
            t["origin"] += result["origin"]["label"] == v["gold"]["origin"]
        if not top_k_correct(ranked, gold, 3) or not top_k_correct(ranked, gold, 1):
            misses.append((v["_file"] + f" [{v['mode']}]", gold, ranked[:3], [round(d["probability"], 2) for d in result["differential"][:3]]))
    print(f"vignettes: {len(vignettes)} ({'from narrative text' if from_text else 'structured findings'})")
    print(f"{'group':<10} {'n':>4} {'top-1':>7} {'top-3':>7} {'origin':>7}")
    for group in ("clinician", "lay", "all"):
        t = tallies.get(group)
        if t:
            print(f"{group:<10} {t['n']:>4} {t['top1'] / t['n']:>7.1%} {t['top3'] / t['n']:>7.1%} {t['origin'] / t['n']:>7.1%}")
    if show_misses:
        print("\nmisses (top-1 or top-3):")
        for name, gold, top, probs in misses:
            print(f"  {name}: gold {gold} -> {list(zip(top, probs))}")


if __name__ == "__main__":
    main("--misses" in sys.argv, "--text" in sys.argv)
