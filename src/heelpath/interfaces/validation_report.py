"""The validation report: one self-contained HTML page (inline SVG plots, no network), or PDF."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from heelpath.knowledge.rules import LEVELS
from heelpath.services.validation.run import ValidationRun

TEMPLATES = Path(__file__).resolve().parent / "templates"
SOURCE_KINDS = ("study", "secondary", "estimate")
_COLOURS = {"study": "#1b7837", "secondary": "#7fbf7b", "estimate": "#d9d9d9",
            "structured": "#2166ac", "narrative": "#b2182b"}


def render_html(run: ValidationRun) -> str:
    """The report as one HTML page."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    return env.get_template("validation_report.html").render(
        run=run, plots=_plots(run), levels=LEVELS, kinds=SOURCE_KINDS,
        coverage_totals=_coverage_totals(run),
        families=sorted(run.text.by_family, key=lambda f: -run.text.by_family[f]["gold"]),
    )


def render_pdf(html: str) -> bytes:
    """The page as PDF (WeasyPrint, imported here so the rest of heelpath starts fast)."""
    import logging

    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    return bytes(HTML(string=html, base_url=str(TEMPLATES)).write_pdf())


def _coverage_totals(run: ValidationRun) -> dict[str, int]:
    totals = {kind: 0 for kind in SOURCE_KINDS}
    for row in run.coverage:
        for kind in SOURCE_KINDS:
            totals[kind] += row.likelihoods[kind]
    return totals


def _plots(run: ValidationRun) -> dict[str, str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.size": 9, "svg.fonttype": "none", "svg.hashsalt": "heelpath"})
    return {name: _svg(plt, draw(plt, run)) for name, draw in (
        ("accuracy", _accuracy_plot), ("calibration", _calibration_plot), ("triage", _triage_plot),
        ("interview", _interview_plot), ("text", _text_plot), ("evidence", _evidence_plot))}


def _svg(plt: Any, fig: Any) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    return re.sub(r"^.*?(?=<svg)", "", buffer.getvalue(), flags=re.S)  # drop the XML prologue and doctype


def _accuracy_plot(plt: Any, run: ValidationRun) -> Any:
    rows = [r for r in run.accuracy if r.group == "all" or r.group.startswith("voice")]
    labels = sorted({(r.suite, r.group) for r in rows}, key=lambda k: (k[0], k[1] != "all", k[1]))
    fig, axes = plt.subplots(1, 2, figsize=(9, 3), sharey=True)
    for ax, measure in zip(axes, ("top1", "top3")):
        for offset, form in ((-0.2, "structured"), (0.2, "narrative")):
            values, low, high = [], [], []
            for suite, group in labels:
                row = next((r for r in rows if (r.suite, r.group, r.form) == (suite, group, form)), None)
                p = getattr(row, measure) if row else None
                values.append(p.value if p else 0)
                low.append(p.value - p.interval[0] if p else 0)
                high.append(p.interval[1] - p.value if p else 0)
            ax.bar([i + offset for i in range(len(labels))], values, 0.4, yerr=[low, high], capsize=2,
                   label=form, color=_COLOURS[form])
        short = {"public vignettes": "vignettes", "development set": "dev set"}
        ax.set_xticks(range(len(labels)), [f"{short.get(s, s)}\n{g.removeprefix('voice: ')}" for s, g in labels],
                      fontsize=7)
        ax.set_title("top-1" if measure == "top1" else "top-3")
        ax.set_ylim(0, 1.05)
    axes[0].set_ylabel("share correct (95% CI)")
    axes[1].legend(loc="lower right")
    return fig


def _calibration_plot(plt: Any, run: ValidationRun) -> Any:
    fig, ax = plt.subplots(figsize=(4.2, 4))
    ax.plot([0, 1], [0, 1], color="#999999", linestyle="--", linewidth=1, label="perfect calibration")
    for reliability, marker in zip(run.calibration, ("o", "s")):
        sizes = [12 + 60 * c / max(reliability.counts) for c in reliability.counts]
        ax.plot(reliability.predicted, reliability.observed, linewidth=1)
        ax.scatter(reliability.predicted, reliability.observed, s=sizes, marker=marker,
                   label=f"{reliability.label.split(' (')[0]} (Brier {reliability.brier:.3f})")
    ax.set_xlabel("predicted probability")
    ax.set_ylabel("observed frequency")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.legend(fontsize=7, loc="upper left")
    return fig


def _triage_plot(plt: Any, run: ValidationRun) -> Any:
    fig, axes = plt.subplots(1, len(run.triage), figsize=(2.6 * len(run.triage), 2.9))
    short = ["self", "routine", "soon", "urgent", "emerg."]
    for ax, figures in zip(axes, run.triage):
        ax.imshow(figures.matrix, cmap="Blues")
        for i, row in enumerate(figures.matrix):
            for j, count in enumerate(row):
                if count:
                    ax.text(j, i, str(count), ha="center", va="center", fontsize=7,
                            color="white" if count > max(map(max, figures.matrix)) / 2 else "black")
        ax.set_xticks(range(len(LEVELS)), short, rotation=45, fontsize=7)
        ax.set_yticks(range(len(LEVELS)), short, fontsize=7)
        ax.set_title(figures.label, fontsize=8)
        ax.set_xlabel("heelpath", fontsize=7)
    axes[0].set_ylabel("reference", fontsize=7)
    return fig


def _interview_plot(plt: Any, run: ValidationRun) -> Any:
    fig, ax = plt.subplots(figsize=(6, 2.8))
    screens = run.interview_screens
    top = max((max(v) for v in screens.values() if v), default=1)
    ax.hist([v for v in screens.values()], bins=range(0, top + 2), label=list(screens), histtype="step", linewidth=1.4)
    ax.set_xlabel("screens shown before the result")
    ax.set_ylabel("interviews")
    ax.legend(fontsize=7)
    return fig


def _text_plot(plt: Any, run: ValidationRun) -> Any:
    families = sorted(run.text.by_family, key=lambda f: run.text.f1(f)[2])
    fig, ax = plt.subplots(figsize=(6, max(2.5, 0.18 * len(families))))
    ax.barh(families, [run.text.f1(f)[2] for f in families], color="#2166ac")
    ax.set_xlim(0, 1)
    ax.set_xlabel("finding F1 over the gold answers")
    ax.tick_params(axis="y", labelsize=6)
    return fig


def _evidence_plot(plt: Any, run: ValidationRun) -> Any:
    rows = run.coverage
    fig, ax = plt.subplots(figsize=(6, max(3, 0.2 * len(rows))))
    left = [0] * len(rows)
    for kind in SOURCE_KINDS:
        counts = [r.likelihoods[kind] for r in rows]
        ax.barh([r.condition for r in rows], counts, left=left, label=kind, color=_COLOURS[kind], edgecolor="#666666",
                linewidth=0.3)
        left = [a + b for a, b in zip(left, counts)]
    ax.set_xlabel("likelihoods the model uses, by source")
    ax.tick_params(axis="y", labelsize=6)
    ax.legend(fontsize=7)
    return fig
