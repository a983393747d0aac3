"""Rich rendering of an assessment result in the terminal."""

from __future__ import annotations

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from heelpath.knowledge import KnowledgeBase
from heelpath.services.result import AssessmentResult, Examination, NextStepItem, NextSteps, Triage

TRIAGE_STYLE = {
    "emergency": "bold white on red",
    "urgent": "bold red",
    "soon": "bold yellow",
    "routine": "bold cyan",
    "self_care": "bold green",
}
def _bar(p: float, width: int = 20) -> str:
    filled = round(p * width)
    return "█" * filled + "·" * (width - filled)


def render_result(console: Console, result: AssessmentResult, kb: KnowledgeBase) -> None:
    lay = result.case.setting != "primary_care"
    _render_triage(console, result.triage, lay)
    if result.text_intake is not None and result.text_intake.to_confirm:
        labels = "; ".join(kb.finding(f).label for f in result.text_intake.to_confirm)
        console.print(f"[bold yellow]Please confirm[/] (mentioned in the description without a clear yes or no; "
                      f"a hedged one is counted until confirmed): {labels}", highlight=False)

    origin = result.origin
    involves = origin.involves
    words = kb.display.origins[origin.label]
    console.print(
        f"[bold]Where the pain most likely comes from:[/] {words.patient if lay else words.clinician}"
        f"  (spine {involves['spinal']:.0%}, heel {involves['local']:.0%}, "
        f"inflammatory {involves['systemic']:.0%}, other {involves['mimic']:.0%}; "
        f"none of these {involves['unexplained']:.0%})",
        highlight=False,
    )
    unexplained = result.unexplained
    if unexplained.flagged:
        heading = (f"The answers do not fit a known cause well ({unexplained.probability:.0%})"
                   if unexplained.reason == "poor_fit" else "No heel finding given")
        console.print(f"[bold yellow]{heading}[/]: {unexplained.patient if lay else unexplained.clinician}",
                      highlight=False)
        if unexplained.poorly_explained:
            console.print("Not explained by the leading causes: " + "; ".join(unexplained.poorly_explained),
                          highlight=False)
    co = result.coexisting
    if co.probability_two_causes >= 0.2:
        console.print(
            f"[bold]Two causes at once is possible[/] ({co.probability_two_causes:.0%}): most likely "
            f"{' + '.join(co.most_probable_state)}", highlight=False)

    title = "Ranked causes" + (" (not a confident diagnosis)" if unexplained.flagged else "")
    table = Table(title=title, show_lines=False)
    table.add_column("#", justify="right")
    table.add_column("cause")
    table.add_column("probability", justify="right")
    table.add_column("")
    table.add_column("origin")
    for rank, entry in enumerate(result.differential[:8], start=1):
        flag = " [red](serious)[/]" if entry.serious else ""
        table.add_row(str(rank), entry.name + flag, f"{entry.probability:.0%}", _bar(entry.probability), entry.origin)
    console.print(table)

    for entry in result.differential[:3]:
        if not entry.explanation:
            continue
        why = Table(title=f"Why: {entry.name}", show_header=True, title_justify="left")
        why.add_column("finding")
        why.add_column("answer")
        why.add_column("effect", justify="right")
        why.add_column("evidence")
        for item in entry.explanation[:8]:
            ev = item.evidence
            source = ev.reference.citation.split(".")[0] if ev.reference else ""
            basis = ev.quality + (f": {source}" if source else "")
            arrow = "▲ for" if item.direction == "for" else "▼ against"
            why.add_row(item.label, "yes" if item.answer else "no", f"{arrow} ×{item.odds_ratio:.2g}", basis)
        console.print(why)

    loc = result.localisation
    localised = [s for s in loc.sites if s.localised]
    if localised:
        console.print("[bold]Nerve-lesion localisation:[/] " + "; ".join(
            f"{s.label} (score {s.score:g}: {', '.join(s.findings_for)})" for s in localised), highlight=False)
    for caution in loc.cautions:
        console.print(f"[yellow]Localisation:[/] {caution}", highlight=False)

    _render_steps(console, result.next_steps, lay)

    for note in result.notes:
        console.print(f"[italic]Note:[/] {note}", highlight=False)
    for note in result.estimates_used:
        console.print(f"[dim]Estimate: {note}[/]", highlight=False)
    console.print(Panel(result.safety_net, title="Safety net", border_style="red"))
    console.print(f"[dim]{result.disclaimer}  Knowledge base {result.kb_version} ({result.kb_hash[:12]}).[/]",
                  highlight=False)


SECTION_TITLES = {
    "see": ("Who to see", "Refer / see"),
    "examinations": ("Examinations to ask for", "Examine next (most informative first)"),
    "tests": ("Tests that may be needed", "Tests appropriate now"),
    "tests_not_recommended": ("Tests not needed", "Tests not recommended now"),
    "treatments": ("What helps first", "First treatments"),
    "avoid": ("Best avoided", "Avoid"),
}


def _render_triage(console: Console, triage: Triage, lay: bool) -> None:
    style = TRIAGE_STYLE.get(triage.level, "bold")
    body = Text(triage.headline if lay else triage.headline_clinician, style=style)
    body.append(f"\nSet by: {triage.set_by}", style="bold")
    if lay:
        for reason in triage.reasons:
            body.append(f"\n• {reason}")
    else:
        for rule in triage.rules_fired[:6]:
            because = f" ({', '.join(rule.because)})" if rule.because else ""
            body.append(f"\n• [{rule.level}] {rule.clinician}{because}")
    if triage.safety_net:
        body.append("\nSafety net:", style="bold")
        for item in triage.safety_net:
            body.append(f"\n• {item.patient}")
    console.print(Panel(body, title=f"Triage: {triage.label}", border_style=style.split()[-1]))


def _render_steps(console: Console, steps: NextSteps, lay: bool = True) -> None:
    warning = steps.both_causes_warning
    if warning:
        console.print(Panel(warning.patient if lay else warning.clinician,
                            title="Two sources of pain: treat both", border_style="magenta"))
    table = Table(title="Next steps", show_lines=True, title_justify="left", expand=True)
    table.add_column("what", ratio=2)
    table.add_column("advice", ratio=6)
    table.add_column("source", style="dim", ratio=2)
    for section, (lay_title, clinician_title) in SECTION_TITLES.items():
        items: list[NextStepItem | Examination] = getattr(steps, section)
        for item in items:
            advice = Text(item.patient if lay else item.clinician)
            if item.why:
                advice.append(f"\nWhy: {item.why}", style="italic")
            source = ", ".join(c.id for c in item.source) or "estimate"
            table.add_row(lay_title if lay else clinician_title, advice, source)
    console.print(table)
