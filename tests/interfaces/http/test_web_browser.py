"""The web app in a real browser: Debian's headless Chromium driven by Playwright.

The app is served by uvicorn on 127.0.0.1 at a free port (a thread in this process, on a socket
bound before the server starts). Screenshots go to ``test-artifacts/`` at the repository root.
Chromium, a font and poppler-utils come from ``scripts/system-deps.sh``; Playwright never
downloads a browser here.
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from heelpath.interfaces.http.app import create_app
from heelpath.interfaces.http.config import Settings

from .api_support import CLINICIAN, PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 20_000
MAX_SCREENS = 40


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    database = tmp_path_factory.mktemp("web") / "browser.sqlite3"
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    app = create_app(Settings(database_path=database, port=port))
    config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    for _ in range(300):  # up to 30 s for the server to start
        if uv.started or not thread.is_alive():
            break
        time.sleep(0.1)
    assert uv.started, "uvicorn did not start"
    app.state.accounts.add_user(CLINICIAN, PASSWORD, "admin")
    yield {"url": f"http://127.0.0.1:{port}", "database": database}
    uv.should_exit = True
    thread.join(timeout=15)
    sock.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: run scripts/system-deps.sh (Debian package chromium)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, timeout=60_000)
        yield b
        b.close()


def new_page(browser: Browser, viewport: dict[str, int] = DESKTOP, javascript: bool = True,
             downloads: bool = False) -> tuple[BrowserContext, Page]:
    context = browser.new_context(viewport=viewport, java_script_enabled=javascript, accept_downloads=downloads)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    return context, page


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def no_horizontal_scroll(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the page is {overflow}px wider than the {page.viewport_size['width']}px screen"


AXE = Axe()


def assert_accessible(page: Page, where: str) -> None:
    page.wait_for_load_state("load")
    results = AXE.run(page)
    bad = [(v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]][:3])
           for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, f"{where}: {bad}"


# --------------------------------------------------------------------------- helpers


def about_you(page: Page, base: str, age: str = "45", sex: str = "female", side: str = "left") -> None:
    page.goto(f"{base}/self")
    page.get_by_label("How old are you?").fill(age)
    page.get_by_label("Female" if sex == "female" else "Male", exact=True).check()
    page.get_by_label(side.capitalize(), exact=True).check()
    page.get_by_role("button", name="Start").click()
    expect(page.locator("form[data-screen]")).to_have_attribute("data-screen", "where")


def screen(page: Page) -> tuple[str | None, list[str]]:
    form = page.locator("form[data-screen]")
    if form.count() == 0:
        return None, []
    ids = json.loads(page.locator("input[name=screen]").get_attribute("value"))["ids"]
    return form.get_attribute("data-screen"), ids


def finish_interview(page: Page, yes: set[str], regions: list[str], click_map: bool) -> int:
    """Answer every screen until the result; returns the number of screens answered."""
    for n in range(MAX_SCREENS):
        kind, ids = screen(page)
        if kind is None:
            return n
        if kind == "where":
            for region in regions:
                if click_map:  # click the drawing; the script ticks the matching box
                    page.locator(f"[data-bodymap=map] .region[data-region={region}]").first.click()
                else:
                    page.locator(f"#map-r-{region}").check()
        elif kind == "checklist":
            for finding_id in ids:
                if finding_id in yes:
                    page.locator(f"input[name='a.{finding_id}']").check()
        elif kind == "single":
            page.locator(f"input[name='a.{ids[0]}'][value={'yes' if ids[0] in yes else 'no'}]").check()
        elif kind == "number":
            page.locator(f"input[name='a.{ids[0]}']").fill("10")
        page.get_by_role("button", name="Next", exact=True).click()
        page.wait_for_load_state()
    raise AssertionError(f"no result after {MAX_SCREENS} screens")


# --------------------------------------------------------------------------- tests


def test_full_self_assessment(server: dict[str, Any], browser: Browser) -> None:
    context, page = new_page(browser)
    base = server["url"]
    page.goto(base + "/")
    shot(page, "home-desktop")
    assert_accessible(page, "home")
    page.get_by_role("link", name="Start the questions").click()
    expect(page.get_by_label("How old are you?")).to_be_visible()
    assert_accessible(page, "about you")
    about_you(page, base)

    # the map: clicking a drawn region ticks its box, and ticking a box colours the region
    heel = page.locator("[data-bodymap=map] .region[data-region=under_heel]").first
    page.locator("[data-bodymap=map] .region[data-region=under_heel]").first.click()
    expect(page.locator("#map-r-under_heel")).to_be_checked()
    expect(heel).to_have_class(re.compile(r"\bmarked\b"))
    page.locator("#map-r-calf").check()
    expect(page.locator("[data-bodymap=map] .region[data-region=calf]").first).to_have_class(re.compile(r"\bmarked\b"))
    page.locator("#map-r-calf").uncheck()
    expect(page.locator("[data-bodymap=map] .region[data-region=calf]").first).not_to_have_class(re.compile(r"\bmarked\b"))
    shot(page, "self-map-desktop")
    assert_accessible(page, "body map")
    page.get_by_role("button", name="Next", exact=True).click()

    # back returns to the map with the answer kept
    page.get_by_role("button", name="Back").click()
    expect(page.locator("form[data-screen]")).to_have_attribute("data-screen", "where")
    expect(page.locator("#map-r-under_heel")).to_be_checked()
    page.get_by_role("button", name="Next", exact=True).click()
    expect(page.locator("form[data-screen]")).not_to_have_attribute("data-screen", "where")
    assert_accessible(page, "first question")

    answered = finish_interview(page, {"first_step_pain", "pain_after_prolonged_standing"}, [], click_map=True)
    assert answered >= 1
    expect(page.get_by_role("heading", level=1)).to_have_text("Your result")
    expect(page.locator("[data-triage]")).not_to_have_attribute("data-triage", "none")
    expect(page.locator("[data-origin]")).to_have_attribute("data-origin", "local")
    expect(page.locator(".cause").first).to_have_attribute("data-condition", "plantar_fasciitis")
    expect(page.locator(".cause svg.bar")).to_have_count(8)
    expect(page.locator(".origin-venn")).to_be_visible()
    expect(page.get_by_text("supports, and does not replace, a clinician").first).to_be_visible()
    shot(page, "self-result-desktop")
    assert_accessible(page, "result")
    context.close()


def test_self_assessment_on_a_phone(server: dict[str, Any], browser: Browser) -> None:
    context, page = new_page(browser, PHONE)
    about_you(page, server["url"], age="38", sex="male", side="right")
    no_horizontal_scroll(page)
    shot(page, "self-map-phone")
    finish_interview(page, {"shooting_electric_pain", "tingling_pins_needles", "pain_worse_cough_sneeze"},
                     ["low_back", "buttock", "calf", "under_heel"], click_map=True)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your result")
    no_horizontal_scroll(page)
    shot(page, "self-result-phone")
    context.close()


def test_keyboard_ticks_the_map(server: dict[str, Any], browser: Browser) -> None:
    context, page = new_page(browser)
    about_you(page, server["url"])
    box = page.locator("#map-r-back_of_heel")
    box.focus()
    page.keyboard.press("Space")
    expect(box).to_be_checked()
    expect(page.locator("[data-bodymap=map] .region[data-region=back_of_heel]").first).to_have_class(
        re.compile(r"\bmarked\b"))
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.id")
    assert focused.startswith("map-r-"), focused
    context.close()


def test_clinician_assessment_updates_live(server: dict[str, Any], browser: Browser) -> None:
    context, page = new_page(browser)
    page.goto(server["url"] + "/clinician")
    assert_accessible(page, "clinician form")
    page.get_by_label("Age (years)").fill("44")
    page.get_by_label("Sex").select_option("male")
    page.get_by_label("Painful heel").select_option("left")
    page.evaluate("document.querySelectorAll('details.finding-group').forEach(d => d.open = true)")

    def finding(finding_id: str, side: str | None = None) -> None:
        page.locator(f"input[name='f.{finding_id}'][value=yes]").check()
        if side:
            page.locator(f"#s-{finding_id}").select_option(side)

    finding("pain_under_heel")
    expect(page.locator("#live .cause").first).to_be_visible()
    for finding_id in ("low_back_pain", "leg_pain_radiating_below_knee", "tingling_pins_needles"):
        finding(finding_id)
    for finding_id in ("ankle_reflex_reduced", "plantar_flexion_weakness", "s1_sensory_loss", "slr_positive"):
        finding(finding_id, "left")
    # the summary follows the findings without a page load (htmx)
    expect(page.locator("#live .cause").first).to_have_attribute("data-condition", "s1_radiculopathy")
    expect(page.locator("#live [data-origin]")).to_have_attribute("data-origin", re.compile("spinal|both"))
    expect(page.locator("#live-status")).to_contain_text("S1 radiculopathy")
    assert page.url.endswith("/clinician")
    shot(page, "clinician-live-desktop")
    assert_accessible(page, "clinician with summary")

    page.get_by_role("button", name="Show full results").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Assessment")
    expect(page.locator("[data-localisation]")).to_have_attribute("data-localisation", "root")
    expect(page.locator("#locmap .area-S1").first).to_be_visible()
    expect(page.get_by_role("heading", name="Next steps")).to_be_visible()
    shot(page, "clinician-result-desktop")
    assert_accessible(page, "clinician result")
    page.get_by_role("button", name="Back to the findings").click()
    expect(page.locator("input[name='f.ankle_reflex_reduced'][value=yes]")).to_be_checked()
    context.close()


def test_clinician_form_on_a_phone(server: dict[str, Any], browser: Browser) -> None:
    context, page = new_page(browser, PHONE)
    page.goto(server["url"] + "/clinician")
    page.get_by_label("Age (years)").fill("70")
    page.evaluate("document.querySelectorAll('details.finding-group').forEach(d => d.open = true)")
    page.locator("input[name='f.pain_under_heel'][value=yes]").check()
    expect(page.locator("#live .cause").first).to_be_visible()
    no_horizontal_scroll(page)
    shot(page, "clinician-phone")
    context.close()


def pdf_text(path: Path) -> str:
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext is missing: run scripts/system-deps.sh (Debian package poppler-utils)"
    out = subprocess.run([pdftotext, "-layout", str(path), "-"], capture_output=True, text=True, check=True, timeout=60)
    return " ".join(out.stdout.split())


def test_report_download(server: dict[str, Any], browser: Browser, tmp_path: Path) -> None:
    context, page = new_page(browser, downloads=True)
    about_you(page, server["url"], age="52", side="left")
    finish_interview(page, {"first_step_pain"}, ["under_heel"], click_map=False)
    headline = page.locator("#triage-heading").inner_text()
    top = page.locator(".cause .cause-name").first.inner_text()
    with page.expect_download() as pdf_download:
        page.locator("section[aria-labelledby=take-heading]").get_by_role("button", name="Download the report (PDF)").click()
    pdf = tmp_path / pdf_download.value.suggested_filename
    pdf_download.value.save_as(pdf)
    assert pdf.name.startswith("heelpath-report-") and pdf.suffix == ".pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "summary to take to your doctor" in text
    assert " ".join(headline.split()) in text
    assert top.split("serious")[0].strip() in text
    assert "Your answers" in text and re.search(r"Age 52 Sex Female Which heel hurts Left", text)
    assert "Where it hurts" in text and "S1 nerve root area" in text  # the map's key
    assert "What to do next" in text
    assert re.search(r"knowledge base \d+\.\d+\.\d+", text)
    assert re.search(r"Created \d{2} \w+ \d{4}", text)
    assert "supports, and does not replace, a clinician" in text
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(ARTIFACTS / "report-pdf-page")], check=True, timeout=120)

    with page.expect_download() as html_download:
        page.locator("section[aria-labelledby=take-heading]").get_by_role("button", name="Download the report (HTML)").click()
    html_file = tmp_path / html_download.value.suggested_filename
    html_download.value.save_as(html_file)
    report_page = context.new_page()
    report_page.goto(html_file.as_uri())
    expect(report_page.get_by_role("heading", level=1)).to_contain_text("summary to take to your doctor")
    expect(report_page.locator("#rmap .bodymap-panel svg")).to_have_count(3)
    shot(report_page, "report-html")
    assert_accessible(report_page, "report")
    context.close()


def test_no_javascript_flow(server: dict[str, Any], browser: Browser) -> None:
    context, page = new_page(browser, javascript=False)
    base = server["url"]
    page.goto(base + "/self")
    page.get_by_label("How old are you?").fill("61")
    page.get_by_label("Male", exact=True).check()
    page.get_by_label("Both", exact=True).check()
    page.get_by_role("button", name="Start").click()
    expect(page.locator("form[data-screen]")).to_have_attribute("data-screen", "where")
    shot(page, "nojs-map")
    finish_interview(page, {"numbness_both_feet_stocking", "burning_pain", "diabetes"}, ["sole", "under_heel"],
                     click_map=False)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your result")
    shot(page, "nojs-result")

    # clinician: a plain form post gives the summary and the full result
    page.goto(base + "/clinician")
    page.get_by_label("Age (years)").fill("44")
    page.locator("details#g-history-where summary").click()
    page.locator("input[name='f.pain_under_heel'][value=yes]").check()
    page.get_by_role("button", name="Update summary").click()
    expect(page.locator("#live .cause").first).to_be_visible()
    expect(page.locator("input[name='f.pain_under_heel'][value=yes]")).to_be_checked()
    page.get_by_role("button", name="Show full results").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Assessment")
    context.close()


def test_saved_assessments(server: dict[str, Any], browser: Browser) -> None:
    context, page = new_page(browser, downloads=True)
    base = server["url"]
    about_you(page, base, age="33")
    finish_interview(page, {"pain_with_activity"}, ["achilles"], click_map=True)
    save = page.get_by_role("button", name="Save", exact=True)
    consent = page.get_by_label("I agree to store these answers and this result on this computer.")
    save.click()  # without consent the browser refuses to send the form
    expect(page.get_by_role("heading", level=1)).to_have_text("Your result")
    consent.check()
    save.click()
    expect(page.get_by_role("status")).to_contain_text("Keep the address of this page")
    assert re.search(r"/saved/[0-9a-f-]{36}\?key=", page.url)
    with page.expect_download() as own:  # whoever saved it exports it through the private link
        page.get_by_role("link", name="Export (JSON)").click()
    assert json.loads(Path(own.value.path()).read_text(encoding="utf-8"))["assessments"][0]["case"]["age"] == 33

    page.get_by_role("link", name="Saved assessments").click()  # the list is for a signed-in clinician
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to see saved assessments")
    assert_accessible(page, "sign in")
    page.get_by_label("User name").fill(CLINICIAN)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    rows = page.locator("table.saved tbody tr")
    expect(rows).to_have_count(1)
    shot(page, "saved-list")
    assert_accessible(page, "saved list")
    with page.expect_download() as export:
        rows.first.get_by_role("link", name=re.compile("^Export")).click()
    document = json.loads(Path(export.value.path()).read_text(encoding="utf-8"))
    assert document["assessments"][0]["case"]["age"] == 33

    rows.first.get_by_role("link", name=re.compile("^Open")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Saved assessment")
    page.get_by_role("link", name="Saved assessments").click()
    page.locator("table.saved tbody tr").first.get_by_role("link", name=re.compile("^Delete")).click()
    page.get_by_role("button", name="Delete it").click()
    expect(page.get_by_role("status")).to_contain_text("deleted")
    expect(page.locator("table.saved tbody tr")).to_have_count(0)
    context.close()


def test_described_pain_is_confirmed(server: dict[str, Any], browser: Browser) -> None:
    context, page = new_page(browser, PHONE)
    page.goto(server["url"] + "/self")
    page.get_by_label("How old are you?").fill("47")
    page.get_by_label("Female", exact=True).check()
    page.get_by_label("Left", exact=True).check()
    page.get_by_label("Describe your pain in your own words").fill(
        "Sharp pain under my left heel for 8 weeks, worst with the first steps in the morning. No back pain.")
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Is this what you meant?")
    boxes = page.locator("input[name=keep]")
    assert boxes.count() >= 3
    expect(page.get_by_text("Worst with first steps after rest")).to_be_visible()
    no_horizontal_scroll(page)
    shot(page, "self-described-confirm-phone")
    assert_accessible(page, "confirmation")
    page.get_by_label(re.compile(r"Low back pain: No")).uncheck()
    page.get_by_role("button", name="Next", exact=True).click()
    expect(page.locator("form[data-screen]")).to_have_attribute("data-screen", "where")
    expect(page.locator("#map-r-under_heel")).to_be_checked()
    expect(page.locator("#map-r-under_heel")).to_be_disabled()
    expect(page.locator("#map-r-low_back")).to_be_enabled()  # unticked on the confirmation: asked on the map
    context.close()


def test_api_docs_render_offline_under_the_content_security_policy(server: dict[str, Any], browser: Browser) -> None:
    context, page = new_page(browser)
    outside: list[str] = []
    refused: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(server["url"]) else None)
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        page.goto(f"{server['url']}/docs")
        expect(page.locator(".opblock").first).to_be_visible()  # Swagger UI drew the operations
        assert page.locator(".opblock").count() >= 5
        for path in ("/", "/self", "/clinician"):  # the app's own pages break no rule either
            page.goto(f"{server['url']}{path}")
            page.wait_for_load_state("load")
    finally:
        context.close()
    assert not outside, f"requests left this server: {outside[:3]}"
    assert not refused, refused[:3]
