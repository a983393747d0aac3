"""Rich rendering of an assessment result (the dictionary of `heelpath assess --json`)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

TRIAGE_STYLE = {
    "emergency": "bold white on red",
    "urgent": "bold red",
    "soon": "bold yellow",
    "routine": "bold cyan",
    "self_care": "bold green",
}
ORIGIN_WORDS = {
    "local": "from the heel itself",
    "spinal": "from the lower back (referred)",
    "systemic": "from inflammatory disease",
    "mimic": "from nerves or arteries outside the heel",
    "both": "from the back AND the heel together",
}


def _bar(p: float, width: int = 20) -> str:
    filled = round(p * width)
    return "█" * filled + "·" * (width - filled)


def render_result(console: Console, result: dict[str, Any]) -> None:
    triage = result.get("triage")
    if triage:
        style = TRIAGE_STYLE.get(triage["level"], "bold")
        body = Text(triage.get("headline", triage["level"]), style=style)
        for reason in triage.get("reasons", []):
            body.append(f"\n• {reason}")
        console.print(Panel(body, title=f"Triage: {triage['level'].replace('_', ' ')}", border_style=style.split()[-1]))

    origin = result["origin"]
    console.print(
        f"[bold]Where the pain most likely comes from:[/] {ORIGIN_WORDS.get(origin['label'], origin['label'])}"
        f"  (spine {origin['involves']['spinal']:.0%}, heel {origin['involves']['local']:.0%}, "
        f"inflammatory {origin['involves']['systemic']:.0%}, other {origin['involves']['mimic']:.0%})",
        highlight=False,
    )
    co = result["coexisting"]
    if co["probability_two_causes"] >= 0.2:
        console.print(
            f"[bold]Two causes at once is possible[/] ({co['probability_two_causes']:.0%}): most likely "
            f"{' + '.join(co['most_probable_state'])}", highlight=False)

    table = Table(title="Ranked causes", show_lines=False)
    table.add_column("#", justify="right")
    table.add_column("cause")
    table.add_column("probability", justify="right")
    table.add_column("")
    table.add_column("origin")
    for rank, entry in enumerate(result["differential"][:8], start=1):
        flag = " [red](serious)[/]" if entry["serious"] else ""
        table.add_row(str(rank), entry["name"] + flag, f"{entry['probability']:.0%}", _bar(entry["probability"]),
                      entry["origin"])
    console.print(table)

    for entry in result["differential"][:3]:
        items = entry.get("explanation") or []
        if not items:
            continue
        why = Table(title=f"Why: {entry['name']}", show_header=True, title_justify="left")
        why.add_column("finding")
        why.add_column("answer")
        why.add_column("effect", justify="right")
        why.add_column("evidence")
        for item in items[:8]:
            ev = item["evidence"]
            ref = ev.get("reference") or {}
            source = ref.get("citation", "").split(".")[0] if ref else ""
            basis = f"{ev.get('quality')}" + (f": {source}" if source else "")
            arrow = "▲ for" if item["direction"] == "for" else "▼ against"
            why.add_row(item["label"], "yes" if item["answer"] else "no", f"{arrow} ×{item['odds_ratio']:.2g}", basis)
        console.print(why)

    loc = result["localisation"]
    localised = [s for s in loc["sites"] if s["localised"]]
    if localised:
        console.print("[bold]Nerve-lesion localisation:[/] " + "; ".join(
            f"{s['label']} (score {s['score']:g}: {', '.join(s['findings_for'])})" for s in localised), highlight=False)

    steps = result.get("next_steps")
    if steps:
        _render_steps(console, steps)

    for note in result.get("notes", []):
        console.print(f"[italic]Note:[/] {note}", highlight=False)
    for note in result.get("estimates_used", []):
        console.print(f"[dim]Estimate: {note}[/]", highlight=False)
    console.print(Panel(result["safety_net"], title="Safety net", border_style="red"))
    console.print(f"[dim]{result['disclaimer']}  Knowledge base {result['kb_version']} ({result['kb_hash'][:12]}).[/]",
                  highlight=False)


def _render_steps(console: Console, steps: dict[str, Any]) -> None:
    table = Table(title="Next steps", show_lines=True, title_justify="left")
    table.add_column("what")
    table.add_column("advice")
    for section, items in steps.items():
        if not isinstance(items, list):
            continue
        for item in items:
            text = item.get("clinician") or item.get("text") or item.get("patient") or str(item)
            table.add_row(section.replace("_", " "), text)
    console.print(table)
