"""The web app's pages, in process (the browser tests are in test_web_browser.py).

The self-assessment keeps its state in hidden form fields, so these tests read the fields a page
wrote and post them back, as a browser without JavaScript would.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

import heelpath
from heelpath.examples import example_paths
from heelpath.interfaces.http import report
from heelpath.interfaces.http.app import create_app
from heelpath.interfaces.http.config import Settings
from heelpath.interfaces.http.web.clinician import clinician_groups
from heelpath.interfaces.http.web.self_assessment import case_from_state
from heelpath.services.case import Case
from heelpath.services.interview import InterviewState

from .api_support import sign_in

STATIC = Path(report.STATIC_DIR)


@pytest.fixture()
def client(tmp_path: Path) -> TestClient:
    return sign_in(TestClient(create_app(Settings(database_path=tmp_path / "web.sqlite3")), base_url="http://127.0.0.1"))


@pytest.fixture()
def database(client: TestClient) -> Path:
    return client.app.state.settings.database_path


def example(stem: str) -> dict[str, Any]:
    return json.loads(next(p for p in example_paths() if p.stem == stem).read_text(encoding="utf-8"))


def hidden_fields(page: str) -> dict[str, str]:
    fields = {}
    for tag in re.findall(r"<input\b[^>]*>", page):
        if 'type="hidden"' not in tag:
            continue
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r"value=\"([^\"]*)\"|value='([^']*)'", tag)
        if name and value:
            fields.setdefault(name.group(1), html.unescape(value.group(1) if value.group(1) is not None else value.group(2)))
    return fields


def screen_of(page: str) -> tuple[str | None, list[str]]:
    kind = re.search(r'data-screen="(\w+)"', page)
    if kind is None:
        return None, []
    return kind.group(1), json.loads(hidden_fields(page)["screen"])["ids"]


def start(client: TestClient, age: str = "45", sex: str = "female", side: str = "left") -> str:
    page = client.get("/self").text
    response = client.post("/self", data={**hidden_fields(page), "age": age, "sex": sex, "side": side, "action": "next"})
    assert response.status_code == 200, response.text
    return response.text


def answer(client: TestClient, page: str, yes: set[str] = frozenset(), regions: list[str] | None = None,
           action: str = "next", number: str = "10"):
    kind, ids = screen_of(page)
    data: dict[str, Any] = {**hidden_fields(page), "action": action}
    if kind == "where":
        data["region"] = regions or []
    elif kind == "checklist":
        data.update({f"a.{i}": "yes" for i in ids if i in yes})
    elif kind == "single":
        data[f"a.{ids[0]}"] = "yes" if ids[0] in yes else "no"
    elif kind == "number":
        data[f"a.{ids[0]}"] = number
    return client.post("/self", data=data)


def run_interview(client: TestClient, yes: set[str], regions: list[str], **about: str) -> str:
    page = start(client, **about)
    for _ in range(40):
        if screen_of(page)[0] is None:
            return page
        response = answer(client, page, yes, regions)
        assert response.status_code == 200, response.text
        page = response.text
    raise AssertionError("the interview did not finish within 40 screens")


# --------------------------------------------------------------------------- pages and assets


def test_pages_render(client: TestClient) -> None:
    for path, phrase in [("/", "from the heel, from the back, or both"), ("/self", "How old are you?"),
                         ("/clinician", "Clinician assessment"), ("/saved", "No assessments are saved")]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/html")
        assert phrase in response.text, path
        assert '<html lang="en">' in response.text


def test_static_files_are_served_and_vendored_htmx_is_recorded(client: TestClient) -> None:
    page = client.get("/").text
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert "/static/vendor/htmx-2.0.11.min.js" in scripts
    for url in [*scripts, "/static/heelpath.css"]:
        assert client.get(url).status_code == 200, url
    readme = (STATIC / "vendor" / "README.md").read_text(encoding="utf-8")
    assert "2.0.11" in readme and "0BSD" in readme
    assert "htmx" in client.get("/static/vendor/htmx-2.0.11.min.js").text[:200]


def test_html_routes_stay_out_of_the_api_schema(client: TestClient) -> None:
    paths = client.get("/api/openapi.json").json()["paths"] if client.get("/api/openapi.json").status_code == 200 \
        else client.get("/openapi.json").json()["paths"]
    assert not any(p in paths for p in ("/", "/self", "/clinician", "/report", "/saved"))


# --------------------------------------------------------------------------- self-assessment


def test_self_assessment_runs_to_a_result(client: TestClient) -> None:
    page = run_interview(client, yes={"first_step_pain", "pain_after_prolonged_standing"}, regions=["under_heel"])
    assert "Your result" in page
    assert 'data-triage="' in page and 'data-triage="none"' not in page
    assert 'data-origin="local"' in page
    first = re.search(r'<li class="cause" data-condition="(\w+)"', page).group(1)
    assert first == "plantar_fasciitis"
    assert "supports, and does not replace, a clinician" in page
    assert "Download the report (PDF)" in page
    case = json.loads(hidden_fields(page)["case"])
    assert case["findings"]["pain_under_heel"] is True and case["setting"] == "self_assessment"
    Case.from_data(case)


def test_progress_and_one_screen_at_a_time(client: TestClient) -> None:
    page = start(client)
    kind, ids = screen_of(page)
    assert kind == "where"
    assert re.search(r"Step 2 of about \d+", page)
    assert re.search(r'<progress max="\d+" value="1"', page)
    assert "Back</button>" in page


def test_body_map_regions_set_location_findings(client: TestClient) -> None:
    page = start(client)
    assert screen_of(page)[0] == "where"
    assert page.count('data-region="calf"') == 1  # only the painful (left) leg is drawn as a region
    for area in ("derm-S1", "derm-L5", "derm-L4"):
        assert area in page
    after = answer(client, page, regions=["sole", "calf", "buttock"]).text
    state = json.loads(hidden_fields(after)["state"])
    answers = state["answers"]
    assert answers["pain_inner_ankle_to_sole"] is True
    assert answers["leg_pain_radiating_below_knee"] is True
    assert answers["buttock_or_thigh_pain"] is True
    assert answers["pain_under_heel"] is False and answers["low_back_pain"] is False


def test_dont_know_and_back(client: TestClient) -> None:
    page = start(client)
    where = page
    after_where = answer(client, where, regions=["under_heel", "back_of_heel"]).text
    # "not sure about any of these" answers the whole screen "unknown"
    unsure = answer(client, after_where, action="unknown").text
    state = json.loads(hidden_fields(unsure)["state"])
    _, ids = screen_of(after_where)
    assert all(state["answers"][i] == "unknown" for i in ids)
    # back returns to the same screen, answers removed and offered again
    back = answer(client, unsure, action="back").text
    assert screen_of(back) == screen_of(after_where)
    assert not any(i in json.loads(hidden_fields(back)["state"])["answers"] for i in ids)
    back_to_map = answer(client, back, action="back").text
    assert screen_of(back_to_map)[0] == "where"
    assert re.search(r'value="under_heel" id="map-r-under_heel"[^>]*checked', back_to_map)
    assert re.search(r'value="back_of_heel" id="map-r-back_of_heel"[^>]*checked', back_to_map)
    back_to_start = answer(client, back_to_map, action="back").text
    assert screen_of(back_to_start)[0] == "about_you"
    assert 'value="45"' in back_to_start


def test_about_you_needs_an_age(client: TestClient) -> None:
    page = client.get("/self").text
    response = client.post("/self", data={**hidden_fields(page), "age": "", "action": "next"})
    assert response.status_code == 422
    assert "Enter your age in years." in response.text
    response = client.post("/self", data={**hidden_fields(page), "age": "300", "action": "next"})
    assert response.status_code == 422 and "from 0 to 120" in response.text


def test_number_question_checks_its_range(client: TestClient) -> None:
    state = InterviewState(mode="lay", age=50, sex="female", side="left")
    form = {"state": json.dumps(state.to_data()), "history": "[]", "text": "",
            "screen": json.dumps({"kind": "number", "ids": ["duration_weeks"]}), "a.duration_weeks": "5000",
            "action": "next"}
    response = client.post("/self", data=form)
    assert response.status_code == 422
    assert "from 0 to 1040" in response.text
    form["a.duration_weeks"] = "8"
    response = client.post("/self", data=form)
    assert json.loads(hidden_fields(response.text)["state"])["answers"]["duration_weeks"] == 8


def test_a_tampered_state_is_refused_plainly(client: TestClient) -> None:
    for state in ("{not json", json.dumps({"answers": {"no_such_finding": True}, "age": 40, "sex": "male",
                                           "side": "left"})):
        response = client.post("/self", data={"state": state, "history": "[]", "screen": "{}", "action": "next"})
        assert response.status_code == 400
        assert "could not be read" in response.text


def test_red_flags_lead_to_an_emergency_banner(client: TestClient) -> None:
    page = run_interview(client, yes={"saddle_numbness", "bladder_dysfunction", "low_back_pain"},
                         regions=["low_back", "calf"], age="52", sex="male", side="both")
    assert 'data-triage="emergency"' in page
    assert "emergency department" in page.lower()


def test_case_from_state_turns_unknown_into_null() -> None:
    state = InterviewState(mode="lay", age=30, sex="unknown", side="right",
                           answers={"fever": "unknown", "pain_under_heel": True,
                                    "numbness": {"present": "unknown", "side": "left"}})
    case = case_from_state(state)
    assert case["findings"] == {"fever": None, "pain_under_heel": True, "numbness": None}
    assert case["sex"] is None
    Case.from_data(case)


# --------------------------------------------------------------------------- clinician


def clinician_form(case: dict[str, Any]) -> dict[str, str]:
    form = {"age": str(case["age"]), "sex": case.get("sex") or "", "side": case.get("side", "unknown"),
            "setting": case.get("setting", "primary_care")}
    kb = heelpath.load().kb
    for finding_id, value in case["findings"].items():
        if kb.finding(finding_id).type == "number":
            form[f"n.{finding_id}"] = str(value)
        elif isinstance(value, dict):
            form[f"f.{finding_id}"] = "yes" if value["present"] else "no"
            form[f"s.{finding_id}"] = value["side"]
        else:
            form[f"f.{finding_id}"] = "yes" if value else "no"
    return form


def test_clinician_form_groups_every_askable_finding() -> None:
    kb = heelpath.load().kb
    groups = clinician_groups(kb)
    placed = [f["id"] for g in groups for f in g["findings"]]
    assert len(placed) == len(set(placed))
    expected = {f.id for f in kb.findings if not f.derived and f.type in ("boolean", "number")} - {"bilateral_heel_pain"}
    assert set(placed) == expected
    titles = [g["title"] for g in groups]
    assert any(t.startswith("History") for t in titles) and any(t.startswith("Examination") for t in titles)
    assert any(t.startswith("Tests") for t in titles)
    slr = next(f for g in groups for f in g["findings"] if f["id"] == "slr_positive")
    assert slr["lateralised"] and "straight leg" in slr["hint"].lower()


def test_clinician_panel_updates_with_findings(client: TestClient) -> None:
    form = clinician_form(example("s1_radiculopathy_clinician"))
    fragment = client.post("/clinician/panel", data=form)
    assert fragment.status_code == 200
    assert "<html" not in fragment.text  # a fragment for htmx to swap in
    assert re.search(r'<li class="cause" data-condition="s1_radiculopathy"', fragment.text)
    assert "Most informative next" in fragment.text
    assert 'hx-swap-oob="true"' in fragment.text
    empty = client.post("/clinician/panel", data={"age": ""})
    assert "Enter the patient's age" in empty.text


def test_clinician_without_javascript_gets_the_same_summary(client: TestClient) -> None:
    form = clinician_form(example("s1_radiculopathy_clinician"))
    page = client.post("/clinician", data=form).text
    assert 'data-condition="s1_radiculopathy"' in page
    assert re.search(r'name="f.ankle_reflex_reduced" value="yes" checked', page)  # the form keeps its answers
    assert re.search(r'<option value="left" selected>left</option>', page)


def test_clinician_results_page_localises_the_lesion(client: TestClient) -> None:
    form = clinician_form(example("s1_radiculopathy_clinician"))
    page = client.post("/clinician/results", data=form).text
    assert 'data-localisation="root"' in page
    assert "S1 nerve root" in page
    assert 'class="area area-S1"' in page
    assert "Ranked differential" in page and "Next steps" in page
    assert "Back to the findings" in page


def test_clinician_sides_count_only_on_the_painful_side(client: TestClient) -> None:
    form = clinician_form({"age": 60, "side": "left", "findings": {"ankle_reflex_reduced": True}})
    form["s.ankle_reflex_reduced"] = "right"
    page = client.post("/clinician/results", data=form).text
    assert "not counted as evidence for the left heel" in page


def test_clinician_errors_are_shown(client: TestClient) -> None:
    page = client.post("/clinician/results", data={"age": "", "f.fever": "yes"})
    assert page.status_code == 422
    assert "Enter the patient&#39;s age" in page.text or "Enter the patient's age" in page.text
    assert re.search(r'name="f.fever" value="yes" checked', page.text)
    bad = client.post("/clinician/panel", data={"age": "40", "n.duration_weeks": "-3"})
    assert "enter a number from 0 to 1040" in bad.text


# --------------------------------------------------------------------------- report


def test_report_html_has_answers_result_map_steps_and_provenance(client: TestClient) -> None:
    case = example("s1_radiculopathy_clinician")
    response = client.post("/report", data={"case": json.dumps(case), "format": "html"})
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith("attachment; filename=\"heelpath-report-")
    page = response.text
    result = heelpath.assess(case).to_json()
    assert f"knowledge base {result['kb_version']}" in page and result["kb_hash"] in page
    assert "Findings entered" in page and "Ankle reflex reduced or absent" in page
    assert "Next steps" in page and 'class="area area-S1"' in page
    assert "<link" not in page and "<script" not in page  # one self-contained file
    assert result["disclaimer"] in page


UNEXPLAINED_CASE = {"age": 34, "setting": "self_assessment", "side": "right",
                    "findings": {"ankle_rolled_or_twisted": True, "outer_ankle_pain_or_swelling": True,
                                 "pain_under_heel": False, "first_step_pain": False}}


def test_a_picture_that_fits_no_known_cause_is_not_shown_as_a_confident_diagnosis(client: TestClient) -> None:
    result = heelpath.assess(UNEXPLAINED_CASE)
    assert result.unexplained.flagged and result.triage.level != "self_care"
    assert result.unexplained.reason == "poor_fit"
    page = client.post("/report", data={"case": json.dumps(UNEXPLAINED_CASE), "format": "html"}).text
    assert "not a confident diagnosis" in page and 'data-testid="unexplained"' in page
    assert result.unexplained.patient in page and "do not fit a known heel problem well" in page


def test_a_heel_cause_with_no_heel_finding_is_shown_as_resting_on_frequency(client: TestClient) -> None:
    case = {"age": 45, "findings": {"smoker": True, "diabetes": False}}
    result = heelpath.assess(case)
    assert result.unexplained.reason == "no_heel_finding"
    page = client.post("/report", data={"case": json.dumps(case), "format": "html"}).text
    assert "None of your answers is about the heel." in page and result.unexplained.patient in page
    typical = client.post("/report", data={"case": json.dumps(example("plantar_fasciitis_self_assessment")),
                                           "format": "html"}).text
    assert 'data-testid="unexplained"' not in typical


def pdf_text(data: bytes, tmp_path: Path) -> str:
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext is missing: run scripts/system-deps.sh (Debian package poppler-utils)"
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    return subprocess.run([pdftotext, "-layout", str(path), "-"], capture_output=True, text=True, check=True,
                          timeout=60).stdout


def test_report_pdf_says_the_same(client: TestClient, tmp_path: Path) -> None:
    case = example("plantar_fasciitis_self_assessment")
    response = client.post("/report", data={"case": json.dumps(case), "format": "pdf"})
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = " ".join(pdf_text(response.content, tmp_path).split())
    result = heelpath.assess(case).to_json()
    assert "summary to take to your doctor" in text
    assert "Plantar fasciitis" in text
    assert f"knowledge base {result['kb_version']}" in text
    assert "Your answers" in text and "What to do next" in text
    assert "supports, and does not replace, a clinician" in text


def test_report_refuses_a_bad_case(client: TestClient) -> None:
    response = client.post("/report", data={"case": json.dumps({"age": 500}), "format": "pdf"})
    assert response.status_code == 400 and "could not be made" in response.text


def test_the_report_carries_the_triage_the_safety_net_and_the_disclaimer() -> None:
    case = example("plantar_fasciitis_self_assessment")
    result = heelpath.assess(case)
    view = report.result_view(result, case)
    assert view["triage"]["level"] == result.triage.level and view["steps"]
    html_text = report.render_report_html(result, case)
    assert f'data-triage="{result.triage.level}"' in html_text
    assert result.safety_net in html_text and result.disclaimer in html_text


def test_estimates_are_marked() -> None:
    case = example("s1_radiculopathy_clinician")
    result = heelpath.assess(case)
    view = report.result_view(result, case)
    assert any(c["estimate"] for c in view["chart"])
    points = [p for e in view["explained"] for p in e["for"] + e["against"]]
    assert any(p["estimate"] for p in points) and any(not p["estimate"] for p in points)
    page = report.render_report_html(result, case)
    assert 'class="tag tag-estimate"' in page and 'class="tag tag-verified"' in page


# --------------------------------------------------------------------------- saved assessments


def test_saving_needs_consent(client: TestClient, database: Path) -> None:
    case = example("plantar_fasciitis_self_assessment")
    response = client.post("/saved", data={"case": json.dumps(case)})
    assert response.status_code == 422 and "Nothing was saved" in response.text
    assert client.get("/api/assessments").json()["total"] == 0


def test_save_list_reopen_export_report_delete(client: TestClient, database: Path, tmp_path: Path) -> None:
    case = example("s1_radiculopathy_clinician")
    response = client.post("/saved", data={"case": json.dumps(case), "consent": "yes"}, follow_redirects=False)
    assert response.status_code == 303
    location = response.headers["location"]
    assert database.exists()
    saved_id = re.match(r"/saved/([0-9a-f-]{36})\?key=[\w-]+&saved=1$", location).group(1)

    listing = client.get("/saved").text
    assert f'data-id="{saved_id}"' in listing and "S1 radiculopathy" in listing

    reopened = client.get(location).text
    assert "Keep the address of this page" in reopened and "S1 nerve root" in reopened

    export = client.get(f"/saved/{saved_id}/export")
    assert export.headers["content-disposition"].startswith("attachment")
    document = export.json()
    assert document["format"] == "heelpath-assessment"
    assert document["assessments"][0]["id"] == saved_id
    assert document["assessments"][0]["case"]["findings"] == case["findings"]
    assert client.get("/saved/export").json()["assessments"][0]["id"] == saved_id

    pdf = client.get(f"/saved/{saved_id}/report.pdf")
    assert pdf.content.startswith(b"%PDF")
    assert "S1 radiculopathy" in " ".join(pdf_text(pdf.content, tmp_path).split())
    assert "Findings entered" in client.get(f"/saved/{saved_id}/report.html").text

    assert "Delete this saved assessment?" in client.get(f"/saved/{saved_id}/delete").text
    gone = client.post(f"/saved/{saved_id}/delete", follow_redirects=False)
    assert gone.status_code == 303
    assert "was deleted" in client.get(gone.headers["location"]).text
    assert client.get(f"/saved/{saved_id}").status_code == 404
    assert client.post(f"/saved/{saved_id}/delete").status_code == 404


def test_unknown_saved_assessment_is_a_plain_404(client: TestClient) -> None:
    response = client.get("/saved/00000000-0000-4000-8000-000000000000")
    assert response.status_code == 404 and "No such saved assessment" in response.text
    assert response.headers["content-type"].startswith("text/html")


# --------------------------------------------------------------------------- free text


class _Found:
    def __init__(self, finding_id: str, present: bool, side: str | None, span: str) -> None:
        self.finding_id, self.present, self.side, self.span = finding_id, present, side, span
        self.asserted, self.modifier = True, "affirmed"
        self.start, self.end = 0, len(span)


class _Intake:
    def __init__(self, findings: list[_Found]) -> None:
        self.findings = findings

    def to_case_findings(self) -> dict[str, Any]:
        return {f.finding_id: ({"present": f.present, "side": f.side} if f.side else f.present) for f in self.findings}

    def words(self) -> dict[str, str]:
        return {f.finding_id: f.span for f in self.findings}


@pytest.fixture()
def fake_intake(monkeypatch: pytest.MonkeyPatch):
    """A stand-in text intake, so the confirmation screen is tested apart from the NLP."""
    import sys
    import types

    from heelpath.interfaces.http.web import self_assessment as web

    module = types.ModuleType("heelpath.services.intake")
    seen: list[str] = []

    def extract(text: str, lexicon: object) -> _Intake:
        seen.append(text)
        return _Intake([_Found("first_step_pain", True, None, "worst with the first steps"),
                        _Found("low_back_pain", False, None, "no back pain"),
                        _Found("burning_pain", True, "left", "burning")])

    module.extract = extract  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "heelpath.services.intake", module)
    monkeypatch.setattr(web, "intake_available", lambda: True)
    return seen


def test_described_pain_is_confirmed_before_use(client: TestClient, fake_intake: list[str]) -> None:
    page = client.get("/self").text
    assert 'name="describe"' in page
    text = "Sharp and burning pain under my left heel, worst with the first steps. No back pain."
    response = client.post("/self", data={**hidden_fields(page), "age": "47", "sex": "female", "side": "left",
                                          "describe": text, "action": "next"})
    confirm = response.text
    assert fake_intake == [text]
    assert screen_of(confirm)[0] == "confirm"
    assert "Worst with first steps after rest: <strong>Yes</strong>" in confirm
    assert "Low back pain: <strong>No</strong>" in confirm
    assert "(from “no back pain”)" in confirm
    # untick the second item: only the others are used
    data = {**hidden_fields(confirm), "keep": ["0", "2"], "action": "next"}
    after = client.post("/self", data=data).text
    answers = json.loads(hidden_fields(after)["state"])["answers"]
    assert answers["first_step_pain"] is True
    assert answers["burning_pain"] == {"present": True, "side": "left"}
    assert "low_back_pain" not in answers
    # back from the next screen shows the confirmation again with the same choices
    back = client.post("/self", data={**hidden_fields(after), "action": "back"}).text
    assert screen_of(back)[0] == "confirm"
    assert re.search(r'name="keep" value="0" checked', back) and not re.search(r'name="keep" value="1" checked', back)


def test_without_the_intake_there_is_no_text_box(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from heelpath.interfaces.http.web import self_assessment as web

    monkeypatch.setattr(web, "intake_available", lambda: False)
    assert 'name="describe"' not in client.get("/self").text


def test_the_real_text_intake_feeds_the_interview(client: TestClient) -> None:
    from heelpath.interfaces.http.web import self_assessment as web

    assert web.intake_available(), "the text intake (nlp extra) should be installed for the tests"
    page = client.get("/self").text
    text = "Sharp pain under my left heel, worst with the first steps in the morning. No back pain."
    confirm = client.post("/self", data={**hidden_fields(page), "age": "47", "sex": "female", "side": "left",
                                         "describe": text, "action": "next"}).text
    assert screen_of(confirm)[0] == "confirm"
    kept = re.findall(r'name="keep" value="(\d+)" checked', confirm)
    assert kept, confirm
    after = client.post("/self", data={**hidden_fields(confirm), "keep": kept, "action": "next"}).text
    answers = json.loads(hidden_fields(after)["state"])["answers"]
    assert answers["first_step_pain"] is True
    assert answers["low_back_pain"] is False
    assert screen_of(after)[0] == "where"
    assert re.search(r'value="under_heel" id="map-r-under_heel"[^>]*checked[^>]*disabled', after)


def test_a_warning_sign_the_description_leaves_unsettled_is_asked_first(client: TestClient) -> None:
    page = client.get("/self").text
    text = "Pain under my left heel. I think my bladder might be weak, not sure."
    confirm = client.post("/self", data={**hidden_fields(page), "age": "52", "sex": "female", "side": "left",
                                         "describe": text, "action": "next"}).text
    kept = re.findall(r'name="keep" value="(\d+)" checked', confirm)
    after = client.post("/self", data={**hidden_fields(confirm), "keep": kept, "action": "next"}).text
    state = json.loads(hidden_fields(after)["state"])
    assert state["confirm_first"] == ["bladder_dysfunction"]
    assert "bladder_dysfunction" not in state["answers"]  # hedged: not counted as an answer
    assert screen_of(after)[1] == ["bladder_dysfunction"]  # before the body map and every other question


def test_a_description_over_the_limit_is_sent_back_not_cut(client: TestClient, fake_intake: list[str]) -> None:
    page = client.get("/self").text
    text = "heel pain " * 250  # 2,500 characters; the text box allows 2,000
    response = client.post("/self", data={**hidden_fields(page), "age": "47", "sex": "female", "side": "left",
                                          "describe": text, "action": "next"})
    assert response.status_code == 422
    assert "please shorten it to 2000 or fewer" in response.text
    assert fake_intake == []  # nothing was read, so nothing was lost unseen
    assert screen_of(response.text)[0] == "about_you"


def test_a_description_field_over_the_limit_is_refused(client: TestClient) -> None:
    page = client.get("/self").text
    response = client.post("/self", data={**hidden_fields(page), "text": "x" * 2001, "action": "next"})
    assert response.status_code == 400
    assert "the limit is 2000" in response.text
