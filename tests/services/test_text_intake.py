"""Tests of the free-text intake: lexicon validity, negation, uncertainty, family history, history,
laterality, clinical shorthand, numbers, long notes, empty input and the case answers it gives."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import heelpath
from heelpath.knowledge.lexicon import parse_lexicon
from heelpath.services.intake import ExtractedFinding, TextIntake
from heelpath.services.intake.extractor import BLOCK_CHARS, text_blocks
from heelpath.services.validation.lay_texts import polarity

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "src" / "heelpath" / "knowledge" / "data"
CORPUS = ROOT / "cases" / "text_corpus" / "corpus.jsonl"

# medspaCy's matcher warns that its (unused) token Matcher is empty; the pipeline silences it, pytest resets filters
pytestmark = pytest.mark.filterwarnings(r"ignore:\[W036\]")


def _finding_ids() -> dict[str, dict]:
    return {f["id"]: f for f in yaml.safe_load((DATA / "findings.yaml").read_text(encoding="utf-8"))}


@pytest.fixture(scope="module")
def extract():
    pytest.importorskip("medspacy")
    return heelpath.load().read_text


def answers(extract, text: str) -> dict:
    return extract(text).to_case_findings()


# --- the lexicon and corpus agree with findings.yaml ------------------------------------------


def test_every_lexicon_finding_id_exists_in_findings_yaml():
    lexicon = yaml.safe_load((DATA / "lexicon.yaml").read_text(encoding="utf-8"))
    known = _finding_ids()
    named = (
        set(lexicon["findings"])
        | {lexicon["family_history"]["finding"]}
        | set(lexicon["family_history"]["from_findings"])
    )
    for body in lexicon["findings"].values():
        named |= set(body.get("suppresses", []))
    assert named - set(known) == set()


def test_lexicon_loads_and_covers_the_red_flags():
    lexicon = heelpath.load().lexicon
    red_flags = {
        "bladder_dysfunction",
        "bowel_dysfunction",
        "saddle_numbness",
        "bilateral_leg_weakness",
        "progressive_weakness",
        "fever",
        "heel_red_hot_swollen",
        "history_of_cancer",
        "unexplained_weight_loss",
        "perianal_sensory_loss_or_reduced_anal_tone",
        "thompson_test_positive",
        "pop_or_kick_sensation",
        "puncture_wound_or_ulcer",
    }
    assert red_flags <= set(lexicon.findings)


def test_corpus_gold_uses_known_finding_ids_and_sides_only_where_lateralised():
    known = _finding_ids()
    records = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    assert len(records) >= 150
    for record in records:
        assert record["kind"] in ("lay", "clinician")
        for finding_id, value in record["gold"].items():
            assert finding_id in known, (record["id"], finding_id)
            if isinstance(value, dict):
                assert known[finding_id]["lateralised"], (record["id"], finding_id)
                assert value["side"] in ("left", "right", "both")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"findings": {"not_a_finding": {"phrases": ["x"]}}}, "not_a_finding"),
        ({"findings": {"numbness": {"patterns": ["<<NOPE>>"]}}}, "NOPE"),
        ({"findings": {"numbness": {"patterns": ["(unclosed"]}}}, "invalid regular expression"),
        ({"findings": {"numbness": {"phrases": ["numb"], "colour": "red"}}}, "colour"),
        ({"findings": {"numbness": {}}}, "no phrases or patterns"),
        (
            {"findings": {"numbness": {"phrases": ["numb"], "suppresses": ["nothing_like_it"]}}},
            "nothing_like_it",
        ),
        ({"findings": {"numbness": {"phrases": ["numb"], "implies": ["not_a_finding_id"]}}}, "not_a_finding_id"),
        ({"context": {"rules": [{"literal": "x", "category": "MAYBE", "direction": "FORWARD"}]}}, "MAYBE"),
        ({"findings": {"numbness": {"phrases": ["numb"], "given_patterns": ["worse"]}}}, "go together"),
        ({"findings": {"numbness": {"phrases": ["numb"], "given": ["nope_id"], "given_patterns": ["worse"]}}}, "nope_id"),
        ({"context": {"resolved_after": ["(unclosed"]}}, "context.resolved_after: invalid regular expression"),
    ],
)
def test_invalid_lexicon_entries_are_rejected_by_name(change, message):
    ids = {
        "numbness": {"type": "boolean", "lateralised": True},
        "family_history_spa": {"type": "boolean", "lateralised": False},
    }
    with pytest.raises(ValueError, match=message):
        parse_lexicon(change, ids)


def test_importing_the_intake_does_not_import_spacy():
    code = "import sys, heelpath, heelpath.services.intake; print('spacy' in sys.modules or 'medspacy' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [None, 42, b"heel pain", ["heel pain"]])
def test_non_string_input_raises_value_error(extract, bad):
    with pytest.raises(ValueError, match="string"):
        extract(bad)


def test_overlong_text_raises_value_error(extract):
    with pytest.raises(ValueError, match="20000"):
        extract("heel pain. " * 3000)


# --- the two examples of the brief ---------------------------------------------------------------


def test_lay_description_with_a_negation(extract):
    assert answers(extract, "my heel hurts when I get out of bed, no tingling") == {
        "first_step_pain": True,
        "tingling_pins_needles": False,
    }


def test_clinic_shorthand_with_sides_and_negations(extract):
    found = answers(
        extract,
        "SLR +ve 40 deg R, AJ absent L, reduced sensation lat border of foot, Thompson neg, no saddle anaesthesia",
    )
    assert found == {
        "slr_positive": {"present": True, "side": "right"},
        "ankle_reflex_reduced": {"present": True, "side": "left"},
        "s1_sensory_loss": True,
        "thompson_test_positive": False,
        "saddle_numbness": False,
    }


# --- negation ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("No bladder or bowel problems.", {"bladder_dysfunction": False, "bowel_dysfunction": False}),
        ("Denies saddle anaesthesia.", {"saddle_numbness": False}),
        ("Denies fever, night sweats or weight loss.", {"fever": False, "unexplained_weight_loss": False}),
        ("Nil weight loss. Afebrile.", {"unexplained_weight_loss": False, "fever": False}),
        ("Thompson -ve. HLA-B27 neg.", {"thompson_test_positive": False, "hla_b27_positive": False}),
        (
            "I haven't lost any weight and I've never had cancer.",
            {"unexplained_weight_loss": False, "history_of_cancer": False},
        ),
        (
            "There's no wound on my foot and it isn't red or hot.",
            {"puncture_wound_or_ulcer": False, "heel_red_hot_swollen": False},
        ),
        ("I didn't feel a pop.", {"pop_or_kick_sensation": False}),
        ("My legs aren't weak.", {"bilateral_leg_weakness": False}),
        (
            "ROS negative for bowel/bladder incontinence, saddle anesthesia.",
            {"bowel_dysfunction": False, "bladder_dysfunction": False, "saddle_numbness": False},
        ),
        # normal told in more words (NHS unexplained weight loss; GIRFT CES card; NHS peripheral arterial disease)
        ("My weight hasn't changed. Weight's stable, if anything I've put weight on.", {"unexplained_weight_loss": False}),
        ("I can feel myself when I wipe.", {"saddle_numbness": False}),
        ("Sensation down below is normal.", {"saddle_numbness": False}),
        ("Foot colour normal.", {"cold_pale_foot": False}),
    ],
)
def test_negated_findings_are_answered_false(extract, text, expected):
    assert answers(extract, text) == expected


def test_negation_stops_where_a_new_statement_starts(extract):
    found = answers(extract, "No tingling, it's worst first thing in the morning.")
    assert found == {"tingling_pins_needles": False, "first_step_pain": True}


def test_negation_of_a_predicate_stops_at_a_comma(extract):
    found = answers(extract, "Back pain better with exercise, not with rest, wakes her in the night.")
    assert found["pain_at_rest_or_night"] is True


def test_a_sign_with_its_own_result_is_not_negated_across_a_comma(extract):
    found = answers(extract, "No numbness, reduced sensation lat border L foot.")
    assert found["numbness"] is False
    assert found["s1_sensory_loss"] == {"present": True, "side": "left"}


def test_red_flags_that_are_present_are_not_negated_by_the_symptom_wording(extract):
    found = answers(extract, "I can't feel when I need to open my bowels and I can't control my wee.")
    assert found == {"bowel_dysfunction": True, "bladder_dysfunction": True}


# --- uncertainty ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "?reduced AJ R",
        "I might have some tingling in my toes but I'm not sure.",
        "Possible reduced sensation lateral border L foot.",
        "Windlass test equivocal.",
    ],
)
def test_uncertain_mentions_are_shown_but_not_answered(extract, text):
    intake = extract(text)
    assert intake.findings, "the mention should be shown"
    assert all(f.modifier == "uncertain" and not f.asserted for f in intake.findings)
    assert intake.to_case_findings() == {}
    assert intake.unmatched


@pytest.mark.parametrize(
    "text",
    ["I had a urine infection last year which cleared up, no fever since.", "The GP sent a urine sample."],
)
def test_naming_urine_is_a_question_not_a_bladder_problem(extract, text):
    intake = extract(text)
    mentions = [f for f in intake.findings if f.finding_id == "bladder_dysfunction"]
    assert mentions and all(not f.asserted for f in mentions)
    assert "bladder_dysfunction" not in intake.to_case_findings()


@pytest.mark.parametrize("text", ["I keep peeing myself.", "I have trouble peeing.", "I can't wee properly."])
def test_lay_words_for_a_bladder_problem_are_answered(extract, text):
    assert answers(extract, text)["bladder_dysfunction"] is True


# GIRFT CES symptom card: "loss of bladder control" and "not being able to feel when you need to pass urine"
# are two signs; a leak not felt coming is both, not only the sensation
@pytest.mark.parametrize("text", [
    "Leaked a bit of urine twice today without even knowing.",
    "Wet myself twice today and didn't even know it was happening.",
    "I keep leaking wee without realising.",
    "yesterday I wet myself on the march without feeling it start",
])
def test_a_leak_not_felt_is_incontinence_and_altered_sensation(extract, text):
    read = answers(extract, text)
    assert read["bladder_dysfunction"] is True
    assert read["altered_urinary_sensation"] is True


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Since last week sex feels numb and I can't ejaculate.", {"new_sexual_dysfunction": True}),
        ("I cannot feel myself peeing any more.", {"altered_urinary_sensation": True}),
        ("My sciatica keeps swapping from one leg to the other.", {"new_bilateral_or_alternating_sciatica": True}),
        ("I'm always thirsty.", {"thirst_or_passing_much_urine": True}),
        ("I have been muddled and confused since Tuesday.", {"new_confusion": True}),
        ("She broke her wrist after a minor fall last year.", {"fracture_after_minor_fall": True}),
        ("My big toe has gone black.", {"skin_black_purple_or_blistering": True}),
        ("The redness is spreading up my leg.", {"rapidly_spreading_redness": True}),
        ("It is much worse than it looks.", {"pain_out_of_proportion": True}),
        ("At night it eases if I hang my foot over the side of the bed.", {"rest_pain_eased_hanging_foot_down": True}),
        ("He refuses to walk.", {"unable_to_bear_weight": True}),
        ("Not thirsty and no confusion.", {"thirst_or_passing_much_urine": False, "new_confusion": False}),
        ("O/E popliteal pulse present, no pedal pulses L.", {"absent_foot_pulses": True}),
        ("My left foot suddenly went cold and white.", {"cold_pale_foot": True}),
        ("Both my legs keep giving way.", {"bilateral_leg_weakness": True}),
        ("I can't tell when I need to pee.", {"altered_urinary_sensation": True}),
        ("Numb left leg, onset within 24 h.", {"sudden_onset": True}),
    ],
)
def test_lay_words_for_red_flags_hiding_in_ordinary_complaints(extract, text, expected):
    found = answers(extract, text)
    assert {k: found.get(k) for k in expected} == expected


# families met in the development set's published cases (cases/devset, each citing its report) and
# in the NHS cauda equina, sciatica and peripheral neuropathy pages; the sentences here are new
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I have to strain to poo.", {"bowel_dysfunction": True}),
        ("He has been pushing hard to open his bowels.", {"bowel_dysfunction": True}),
        ("The back of my right thigh aches.", {"buttock_or_thigh_pain": {"present": True, "side": "right"}}),
        ("A van knocked me off my bike on Monday.", {"recent_trauma": True}),
        ("She was hit by a car last week.", {"recent_trauma": True}),
        ("There is a sore on the back of my heel.", {"puncture_wound_or_ulcer": True}),
        ("I can't feel much in my feet.", {"numbness_both_feet_stocking": True}),
        ("Sciatica below the knee, started R then L.", {"new_bilateral_or_alternating_sciatica": True}),
        ("Sciatica below the knee and it is now alternating.", {"new_bilateral_or_alternating_sciatica": True}),
        ("CT: lytic lesions throughout the axial skeleton.", {"imaging_vertebral_lesion": True}),
        ("MRI: lesions >5 mm in several vertebral bodies.", {"imaging_vertebral_lesion": True}),
        ("ESR >100.", {"crp_raised": True}),
        # lay wordings from cauda equina warning cards and patients' accounts (cases/lay_texts, second batch)
        ("When I wipe it's like wiping someone else's bottom.", {"saddle_numbness": True}),
        ("Altered sensation in the perineal area since Monday.", {"saddle_numbness": True}),
        ("I can't tell if my bladder is full.", {"altered_urinary_sensation": True}),
        ("I sat on the loo for twenty minutes and nothing would come.", {"bladder_dysfunction": True}),
        ("My legs felt heavy and then they gave way in the kitchen.", {"bilateral_leg_weakness": True}),
        ("My knees keep buckling.", {"bilateral_leg_weakness": True}),
        ("My foot is weaker than yesterday.", {"progressive_weakness": True}),
        ("Her husband says she is talking nonsense.", {"new_confusion": True}),
        ("Reduced sensation during sex since the back pain began.", {"new_sexual_dysfunction": True}),
        ("My back and both legs are killing me.", {"new_bilateral_or_alternating_sciatica": True}),
        ("Checked my temperature: 36.9.", {"fever": False}),
        ("Nothing wrong with my waterworks or my bowels.", {"bladder_dysfunction": False, "bowel_dysfunction": False}),
        ("ESR <10.", {"crp_raised": False}),
        # third batch (cases/lay_texts dev3: CES cards as trusts publish them, NHS sciatica, sepsis,
        # diabetic-foot and limb-ischaemia pages); the sentences here are new
        ("Both legs just went from under me on the bus.", {"bilateral_leg_weakness": True}),
        ("My legs have been wobbly since the weekend.", {"bilateral_leg_weakness": True}),
        ("Pain down my legs, one day the left, the next day the right.", {"new_bilateral_or_alternating_sciatica": True}),
        ("Bilateral sciatica for a week.", {"new_bilateral_or_alternating_sciatica": True}),
        ("Bilateral leg pain after walking 200 m, eased by sitting.", {"new_bilateral_or_alternating_sciatica": None}),
        ("I leaked in the night and didn't even notice.", {"altered_urinary_sensation": True}),
        ("My bladder feels numb.", {"altered_urinary_sensation": True}),
        ("I have to look to check if I'd actually finished.", {"altered_urinary_sensation": True}),
        ("Wind slips out without me knowing.", {"bowel_dysfunction": True}),
        ("Peeing normally and bowels fine.", {"bladder_dysfunction": False, "bowel_dysfunction": False}),
        ("She doesn't seem to know where she is.", {"new_confusion": True}),
        ("The sore on my heel still hasn't healed.", {"foot_sore_not_healing": True}),
        ("The edge of the ulcer has turned black.", {"skin_black_purple_or_blistering": True}),
        ("Both feet are warm and pink.", {"cold_pale_foot": False}),
        # fourth batch (forum posts, non-native English, handover notes); new sentences
        ("When I go for stool I don't feel it come out.", {"bowel_dysfunction": True}),
        ("I cannot feel when the water comes.", {"altered_urinary_sensation": True}),
        ("I push and push and only a little comes.", {"bladder_dysfunction": True}),
        ("Around the anus the skin is like not my skin, I touch and I feel nothing.", {"saddle_numbness": True}),
        ("New perianal paraesthesia since this morning.", {"saddle_numbness": True}),
        ("My legs are without force.", {"bilateral_leg_weakness": True}),
        ("Progressive BLE weakness over 3 days.", {"bilateral_leg_weakness": True, "progressive_weakness": True}),
        ("Known Ca prostate with bony mets.", {"history_of_cancer": True}),
        ("Nothing to see, but the pain is unreal.", {"pain_out_of_proportion": True}),
        ("I CAN'T feel anything down below.", {"saddle_numbness": True}),
        ("I DON'T have numbness down there.", {"saddle_numbness": False}),
        ("Can't put it down at all since the fall.", {"unable_to_bear_weight": True}),
        ("The GP wanted to put me on ciprofloxacin but I said no.", {"quinolone_antibiotic_recent": None}),
        ("Pain in the back of my heel.", {"low_back_pain": None}),
        ("My heel is numb underneath.", {"pain_under_heel": None}),
        # carers' and parents' words (GIRFT CES card: incontinence; NHS necrotising fasciitis: pain far
        # worse than the wound; GIRFT: progressive weakness); new sentences
        ("She has started wetting herself in the day.", {"bladder_dysfunction": True}),
        ("The cut hurts far more than a tiny hole should.", {"pain_out_of_proportion": True}),
        ("My legs have felt like jelly since yesterday and they're worse today.",
         {"bilateral_leg_weakness": True, "progressive_weakness": True}),
        # messages, forms and crew notes (NHS diabetes and cancer symptom pages: thirst, peeing at night,
        # weight loss without trying; GIRFT CES card: numb genitals, sexual function, not feeling when you
        # need a poo or a wee, sciatica in both legs or alternating; NHS cellulitis: draw round the red
        # area and see if it spreads; NHS necrotising fasciitis: the skin looks almost normal but the
        # pain is severe; NICE NG51 / NEWS2: temperature, new confusion; NHS safety-netting advice)
        ("I can't stop drinking water and I'm up all night for the loo.", {"thirst_or_passing_much_urine": True}),
        ("My jeans are falling off me and I'm not dieting.", {"unexplained_weight_loss": True}),
        ("I've lost a stone on purpose with a slimming club.", {"unexplained_weight_loss": False}),
        ("He says his privates are numb.", {"saddle_numbness": True}),
        ("I can't get or keep an erection.", {"new_sexual_dysfunction": True}),
        ("I keep not feeling when I need a poo.", {"bowel_dysfunction": True}),
        ("He can't tell if he needs a wee.", {"altered_urinary_sensation": True}),
        ("Now the sciatica flips between my left and right leg.", {"new_bilateral_or_alternating_sciatica": True}),
        ("bilat leg weakness", {"bilateral_leg_weakness": True}),
        ("The red patch has spread past the pen line.", {"rapidly_spreading_redness": True}),
        ("I've got a thorn in my heel.", {"puncture_wound_or_ulcer": True}),
        ("Pressure sore on her heel.", {"puncture_wound_or_ulcer": True}),
        ("The skin looks almost normal but the pain is off the scale.", {"pain_out_of_proportion": True}),
        ("I feel hot and I shiver.", {"fever": True}),
        ("Burning up, 38.6.", {"fever": True}),
        ("Alert and oriented, T 36.9.", {"new_confusion": False, "fever": False}),
        ("Not oriented to time or place.", {"new_confusion": None}),
        ("More drowsy and muddled than his normal today.", {"new_confusion": True}),
        ("The leaflet says come back if you feel very unwell, get confused or your temperature goes up.",
         {"new_confusion": None, "fever": None}),
        ("My feet are warm.", {"cold_pale_foot": False}),
        ("It only hurts when I run.", {"pain_at_rest_or_night": False}),
        # a past operation and what led to it (GIRFT CES pathway: recurrence is asked about, not assumed)
        ("Had my CES op in March 2017 after my bum went numb and I couldn't wee.",
         {"saddle_numbness": None, "bladder_dysfunction": None}),
        ("Had my op in 2017 after my bum went numb. Now I can't wee.", {"bladder_dysfunction": True}),
        # triage shorthand and messages (GIRFT CES pathway: urinary retention; NHS back pain; NHS diabetic
        # foot: a wound that is not healing; NHS cellulitis: red and hot)
        ("58M, unable to PU since 0600.", {"bladder_dysfunction": True}),
        ("Tweaked my back on the erg.", {"low_back_pain": True}),
        ("sorry. back been bad for 2 wks.", {"low_back_pain": True}),
        ("The pain came back bad.", {"low_back_pain": None}),
        ("L foot ballooned up, red + hot round the heel.", {"heel_red_hot_swollen": {"present": True, "side": "left"}}),
        ("A sore under my heel, it's been there 5 weeks and isn't getting any better.", {"foot_sore_not_healing": True}),
        # letters, forms and messages (NHS diabetes in children: very thirsty; GIRFT CES card: normal bowel
        # function, and a card's list read out as advice)
        ("She keeps refilling her water bottle.", {"thirst_or_passing_much_urine": True}),
        ("I wee normally and my bowels behave.", {"bowel_dysfunction": False}),
        ("She gave me a list: numbness around your bottom, weakness in both legs - any of those, go straight to A&E.",
         {"saddle_numbness": None, "bilateral_leg_weakness": None}),
        # voice notes, dictation and discharge summaries (CES warning cards: numbness that doesn't feel
        # part of you; NHS cauda equina syndrome: loss of bladder control, not knowing you need to pee;
        # a relative's story; a dated admission)
        ("When I wipe it doesn't feel like it's my own bottom.", {"saddle_numbness": True}),
        ("My bum is numb and it's gone down the inside of my thighs.", {"saddle_numbness": True}),
        ("I keep rushing to the loo and twice I haven't made it.", {"bladder_dysfunction": True}),
        ("We didn't make it to the party in time.", {"bladder_dysfunction": None}),
        ("I leaked again and didn't feel it coming.", {"altered_urinary_sensation": True}),
        ("My sister had cauda equina and was left with a numb bottom.", {"saddle_numbness": None}),
        ("My mum had gout and my heel is red and hot.", {"heel_red_hot_swollen": True}),
        ("I had a fever last week but it's gone.", {"fever": None}),
        ("Admitted 03/05 with a sudden cold, pale foot; embolectomy the same day.",
         {"sudden_onset": None, "cold_pale_foot": None}),
        # spoken punctuation in voice-to-text, and normal function in letters and forms (GIRFT CES
        # pathway: bladder function and sensation asked and recorded; NHS fever: "a temp"; NHS back pain)
        ("I can't walk far now full stop back pain on and off.", {"low_back_pain": True}),
        ("my water works are normal", {"bladder_dysfunction": False}),
        ("Urinary flow normal.", {"bladder_dysfunction": False}),
        ("Any leaking? No accidents, I can feel when I go, stream's fine.",
         {"bladder_dysfunction": False, "altered_urinary_sensation": False}),
        ("Temp normal.", {"fever": False}),
        ("no temp", {"fever": False}),
        ("My back is still stiff and sore.", {"low_back_pain": True}),
        ("The back of my heel is still stiff and sore.", {"low_back_pain": None}),
        # seventh batch's registers: advice given condition first, second-language and care-home words (NHS
        # and pharmacy safety-netting; GIRFT CES card: loss of sensation during sex, not feeling when you
        # need to pee, loss of bowel control; NHS foot drop: catching the front of the foot; NHS sepsis)
        ("If the red goes bigger or you have fever, go to the doctor same day. No fever now.", {"fever": False}),
        ("GP said if I get any numbness around my genitals I'm to call 999.", {"saddle_numbness": None}),
        ("If I walk far my bum goes numb.", {"saddle_numbness": True}),
        ("With my husband, in the intimate moment, I do not feel anything.", {"new_sexual_dysfunction": True}),
        ("When I clean with paper after the toilet it is strange, less feeling.", {"saddle_numbness": True}),
        ("He does not feel when he must make pee.", {"altered_urinary_sensation": True}),
        ("She has been incontinent of faeces twice today.", {"bowel_dysfunction": True}),
        ("trying to wee, nothing comes", {"bladder_dysfunction": True}),
        ("My foot keeps catching the edge of the stairs.", {"foot_drop_or_tripping": True}),
        ("She's hotter than usual, 38.3.", {"fever": True}),
        # a resolution told after a comma, and relief that is not resolution (NHS: symptoms that have gone)
        ("He was very muddled for a few days, but that cleared with the antibiotics.", {"new_confusion": None}),
        ("I had a fever, but it went away.", {"fever": None}),
        ("The pain under my heel got better with rest.", {"pain_under_heel": True}),
        # heel sites said on their own (NHS plantar fasciitis: pain on the bottom of the heel; NHS diabetes)
        ("It's under my heel, first steps in the morning.", {"pain_under_heel": True}),
        ("The heel under my foot is killing me.", {"pain_under_heel": True}),
        ("Like walking on bare bone in the middle of my heel.", {"pain_centre_of_heel_pad": True}),
        ("My heel's sore and a bit pink at the back.", {"pain_back_of_heel": True}),
        ("Type 2 for 12 years.", {"diabetes": True}),
        # a decline in walking told as before and now (GIRFT CES; NICE NG234: progressive weakness, loss of mobility)
        ("In three days she has gone from walking with her frame to needing two carers to stand.",
         {"progressive_weakness": True}),
        ("He went from walking the dog to needing a stick over a year.", {"progressive_weakness": None}),
        ("My legs are weak. It's worse every day.", {"progressive_weakness": True}),
        ("My legs are not weak. It's worse every day.", {"progressive_weakness": None}),
        ("My legs aren't weak. It's worse every day though, the heel.", {"progressive_weakness": None}),
        # the back listed with the legs or heel as what hurts (NHS sciatica; NHS back pain)
        ("The physio said go to A&E if I can't pee - I haven't, it's just my back and left leg.",
         {"low_back_pain": True}),
        ("back + heel. cant pee since am. help", {"low_back_pain": True}),
        ("My back and both legs are agony.", {"low_back_pain": True}),
        ("Shooting pains down my legs, one day the right, next the left. Lower back too.", {"low_back_pain": True}),
        ("Sciatica down both legs since Tuesday. back is agony 10/10", {"low_back_pain": True}),
        ("Back itself only mildly sore.", {"low_back_pain": True}),
        ("It all started with this back flare.", {"low_back_pain": True}),
        ("The back of my heel and the back of my ankle hurt.", {"low_back_pain": None}),
        ("Went back + bought heel cups.", {"low_back_pain": None}),
        # the heel pad is under the heel (NHS plantar fasciitis; Patient.info heel pad pain)
        ("It's sore right in the middle of the pad of my heel.", {"pain_centre_of_heel_pad": True, "pain_under_heel": True}),
        ("Maybe it's in the middle of my heel.", {"pain_centre_of_heel_pad": None, "pain_under_heel": None}),
        # heel sites in more lay words (NHS plantar fasciitis; NHS and podiatry pages on calcaneal stress fracture
        # and insertional Achilles pain)
        # one side of the heel is not "both sides of the heel bone" (the finding's definition)
        ("The sore spot is the inner side of my left heel when I press it.", {"pain_sides_of_heel": None}),
        ("It kills when you squeeze it from both sides.", {"pain_sides_of_heel": True}),
        ("Pain when the heel is squeezed from the sides.", {"pain_sides_of_heel": True}),
        ("The undersides of both heels hurt too.", {"pain_under_heel": {"present": True, "side": "both"}}),
        ("It kills when you squeeze my left heel from both sides.",
         {"pain_sides_of_heel": {"present": True, "side": "left"}}),
        ("Both heels, but the right's worse. Sore under them by the end of my shift.", {"pain_under_heel": True}),
        ("Only pain in heel, bottom side, in the morning.", {"pain_under_heel": True}),
        ("Pain right in the middle of the bottom of my heel.", {"pain_centre_of_heel_pad": True, "pain_under_heel": True}),
        ("It's only the back of my heel where the work boot rubs.", {"pain_back_of_heel": True}),
        ("He limps on the backs of both heels after rugby.", {"pain_back_of_heel": {"present": True, "side": "both"}}),
        ("Sore a couple of inches higher up the tendon itself.", {"pain_achilles_above_heel": True}),
        # an emoji ends a texted sentence, so a denial before it stops there (NHS sciatica: pain from the back)
        ("physio reckons its S1 not my achilles 🙄 pain shoots from my lower back down the back of my calf",
         {"low_back_pain": True, "leg_pain_radiating_below_knee": True}),
        ("no fever 👍 numb bum", {"fever": False, "saddle_numbness": True}),
        ("temp 38.2 °C and no rash", {"fever": True}),
        # a temperature reading is a fact a denial before it does not reach (NHS sepsis: a high temperature)
        ("she's very muddled today not herself keeps asking for her late husband temperature 38.7",
         {"fever": True, "new_confusion": True}),
        ("No temperature of 38 or above.", {"fever": False}),
        # discharge letters and clinic letters (GIRFT CES pathway: loss of genital sensation, sexual dysfunction)
        ("Bowels opened day 3 with normal sensation.", {"bowel_dysfunction": False}),
        ("Bowels opened without any sensation.", {"bowel_dysfunction": True}),
        ("On discharge: perianal sensation still reduced on the right side, improving.",
         {"perianal_sensory_loss_or_reduced_anal_tone": True}),
        ("Genital sensation still reduced.", {"saddle_numbness": True}),
        ("New difficulty ejaculating and reduced penile sensation over 2 weeks.",
         {"new_sexual_dysfunction": True, "saddle_numbness": True, "altered_urinary_sensation": None}),
        ("Family history of ankylosing spondylitis? No", {"family_history_spa": False}),
        ("Family history of ankylosing spondylitis? Yes, my dad.", {"family_history_spa": True}),
        # the bladder or bowels named alone is asked, not counted; denied, together or apart, it is absent
        ("The carers say his wee smells strong and he's passing urine a lot.", {"bladder_dysfunction": None}),
        ("NOT in both legs, bladder + bowels fine, no numb bum.",
         {"bladder_dysfunction": False, "bowel_dysfunction": False, "saddle_numbness": False}),
        ("Her bladder and bowels are normal.", {"bladder_dysfunction": False, "bowel_dysfunction": False}),
        ("Any problems opening your bowels? No", {"bowel_dysfunction": False}),
        ("The waterworks won't get going, then it's just a trickle.", {"bladder_dysfunction": True}),
        ("I have lost control of my bladder twice this week.", {"bladder_dysfunction": True}),
        ("I have been having some bladder problems since the pain started.", {"bladder_dysfunction": True}),
        ("New bowel incontinence.", {"bowel_dysfunction": True}),
        # the 4 Ts (Diabetes UK; NHS type 1 diabetes) and weight lost without trying (NHS cancer symptoms)
        ("been drinking water like it's going out of fashion, weeing every hour day and night",
         {"thirst_or_passing_much_urine": True}),
        ("She is drinking water non-stop.", {"thirst_or_passing_much_urine": True}),
        ("dropped half a stone without trying", {"unexplained_weight_loss": True}),
        ("I've lost a stone without trying, and for the last few days both legs feel wobbly and weak.",
         {"unexplained_weight_loss": True, "bilateral_leg_weakness": True}),
        # the eighth batch's registers (NHS acute limb ischaemia; NHS cauda equina; NHS necrotising fasciitis;
        # GIRFT CES card; Indian and older UK English for diabetes)
        ("Out of nowhere my left leg from the knee down went cold and blotchy white.", {"cold_pale_foot": True}),
        ("Her front bottom and the insides of her thighs have gone numb.", {"saddle_numbness": True}),
        ("This week things in the bedroom have stopped working.", {"new_sexual_dysfunction": True}),
        ("She has soiled herself twice without realising.", {"bowel_dysfunction": True}),
        ("had 2 accidents today, number twos", {"bowel_dysfunction": True}),
        ("A splinter, barely a scratch, and today it's agony out of all proportion.", {"pain_out_of_proportion": True}),
        ("He got small cut on his heel and now whole heel has become black.",
         {"puncture_wound_or_ulcer": True, "skin_black_purple_or_blistering": True}),
        ("I am sugar patient since 15 years.", {"diabetes": True}),
        ("I take sugar in my tea.", {"diabetes": None}),
        ("It's turned into an open sore that just won't close.", {"foot_sore_not_healing": True}),
        ("I don't really feel it when I'm weeing.", {"altered_urinary_sensation": True}),
        ("The carers say she's been wet through every morning this week.", {"bladder_dysfunction": True}),
        ("I got wet through in the rain.", {"bladder_dysfunction": None}),
        ("Back's been murder since Monday.", {"low_back_pain": True}),
        ("Back twinges a bit but nothing major.", {"low_back_pain": True}),
        ("The back itself is more of a dull ache.", {"low_back_pain": True}),
        ("Both legs ache right down the backs.", {"new_bilateral_or_alternating_sciatica": True}),
        # a warning sign's state denied in the same words (NHS acute limb ischaemia, cellulitis and cauda equina)
        ("The foot isn't cold or pale.", {"cold_pale_foot": False}),
        ("No, my feet aren't cold or a funny colour.", {"cold_pale_foot": False}),
        ("My foot isn't warm any more, it's gone cold and white.", {"cold_pale_foot": True}),
        ("the redness isn't spreading", {"rapidly_spreading_redness": False}),
        ("the heel's a bit red at the back but it's not spreading", {"rapidly_spreading_redness": False}),
        ("The redness is spreading up my leg, it's not getting better.", {"rapidly_spreading_redness": True}),
        ("bladder fine, bum not numb.", {"saddle_numbness": False, "bladder_dysfunction": False}),
        ("I can wee. My bottom is not numb.", {"saddle_numbness": False, "bladder_dysfunction": False}),
        ("I can wee but only a trickle.", {"bladder_dysfunction": True}),
        ("erections and ejaculation normal", {"new_sexual_dysfunction": False}),
        # a denial of one quality, or of completeness, is not a denial of the sign (the sign is then asked)
        ("My foot doesn't feel cold but it looks white and mottled.", {"cold_pale_foot": None}),
        ("Her foot is not as cold as yesterday but it's still white and mottled.", {"cold_pale_foot": None}),
        ("My bottom isn't totally numb but I can't feel much when I wipe.", {"saddle_numbness": True}),
        ("The redness hasn't stopped spreading since this morning.", {"rapidly_spreading_redness": None}),
        ("The redness was not spreading on Monday, but since then it has doubled in size.",
         {"rapidly_spreading_redness": None}),
        ("My bottom is not numb or tingly.", {"saddle_numbness": False, "tingling_pins_needles": None}),
        ("there's no cut, wound or ulcer anywhere", {"puncture_wound_or_ulcer": False}),
        ("literally nothing to see - no bruise, no cut - but the pain is unreal", {"puncture_wound_or_ulcer": False}),
        # the bladder or bowels said to be wrong, or a clause that is not only "opened" (GIRFT CES: any change)
        ("Since yesterday my bladder and bowels are not working properly.",
         {"bladder_dysfunction": True, "bowel_dysfunction": True}),
        ("Wee and poo not normal since Monday.", {"bladder_dysfunction": True, "bowel_dysfunction": True}),
        ("My bladder's been playing up since Tuesday.", {"bladder_dysfunction": True}),
        ("Bowels opened this morning but he couldn't feel it.", {"bowel_dysfunction": None}),
        ("Bowels open in bed twice last night.", {"bowel_dysfunction": None}),
        # everyday words that are not warning signs
        ("I've been waking up wet through with night sweats.", {"bladder_dysfunction": None}),
        ("The ulcer on my heel is only a trickle of pus now.", {"bladder_dysfunction": None}),
        ("I've had sugar cravings since I started the tablets.", {"diabetes": None}),
        ("I had the sugar test at the GP last month and it was normal.", {"diabetes": None}),
        ("My wife says I'm blowing this out of all proportion.", {"pain_out_of_proportion": None}),
        ("I came back a bit sore under my heel.", {"low_back_pain": None, "puncture_wound_or_ulcer": None}),
        ("My new work boots squeeze at the sides.", {"pain_sides_of_heel": None}),
        ("She hasn't had a temperature over 38.", {"fever": False}),
        ("I drink about 3 litres a day on purpose and wee loads because of it.", {"thirst_or_passing_much_urine": False}),
        # the ninth batch's registers (NHS necrotising fasciitis, cellulitis, acute limb ischaemia, Achilles rupture,
        # cauda equina and diabetes pages; GIRFT CES card)
        ("the skin round it has gone a dusky purple with a blister on top", {"skin_black_purple_or_blistering": True}),
        ("My husband and I tried and I couldn't feel a thing down below.", {"new_sexual_dysfunction": True}),
        ("the red has crept halfway up my shin since this morning", {"rapidly_spreading_redness": True}),
        ("Pain right in the middle of my left heel pad.", {"pain_centre_of_heel_pad": {"present": True, "side": "left"}}),
        ("felt a sudden sharp snap behind the R ankle", {"pain_achilles_above_heel": {"present": True, "side": "right"}}),
        ("Both legs feel like lead.", {"bilateral_leg_weakness": None}),  # asked: tiredness says it too
        ("My legs feel like lead after a twelve hour shift on the ward.", {"bilateral_leg_weakness": None}),
        ("i am shivvery and hot", {"fever": True}),
        ("My legs were numb from the epidural but that wore off the same day.", {"numbness": None}),
        ("Mon 6th - now the left leg as well", {"new_bilateral_or_alternating_sciatica": True}),
        ("I'm parched all the time and up to wee five or six times a night.", {"thirst_or_passing_much_urine": True}),
        ("my lower back is screaming", {"low_back_pain": True}),
        ("my legs are no weaker than my usual", {"progressive_weakness": False}),
        ("I have no back pain, no numbness anywhere.", {"saddle_numbness": False}),
        ("i can not feel it when i wipe", {"saddle_numbness": True}),
        ("Still can't feel when I wipe.", {"saddle_numbness": True}),  # GIRFT CES card: numbness when wiping
        # US patient pages (MedlinePlus fever: 100.4 °F is 38 °C; cauda equina pages' "butt", "crotch")
        ("I had to go to urgent care, running a fever of 102.", {"fever": True}),
        ("My temp is 101.5 F.", {"fever": True}),
        ("Temperature was 99.1 F, no chills.", {"fever": False}),
        ("My butt is numb.", {"saddle_numbness": True, "numbness": None}),
        ("Numbness in my crotch.", {"saddle_numbness": True}),
        ("My butt hurts and the pain goes down my leg.", {"buttock_or_thigh_pain": True}),
        # the tenth batch's registers: heel sites in clinic shorthand and lay words (NHS plantar fasciitis and
        # Achilles tendinopathy pages: the bottom of the heel, the back of the heel, the back of the ankle)
        ("c/o R heel pain, plantar aspect, on rising", {"pain_under_heel": {"present": True, "side": "right"}}),
        ("dead centre of the part of my heel I stand on", {"pain_centre_of_heel_pad": True, "pain_under_heel": True}),
        ("the pads of both his heels have worn thin and hurt", {"pain_centre_of_heel_pad": {"present": True, "side": "both"}}),
        ("So it's only the heel, at the very back where the big tendon anchors.", {"pain_back_of_heel": True}),
        ("the backs of my heels kill after sprints", {"pain_back_of_heel": True}),
        ("Me: back of my right heel, the bony bit", {"pain_back_of_heel": {"present": True, "side": "right"}}),
        ("a loud pop at the back of my left ankle", {"pain_achilles_above_heel": {"present": True, "side": "left"},
                                                    "pain_back_of_heel": None}),
        ("Mine is just sore and thick about two inches above my right heel.",
         {"pain_achilles_above_heel": {"present": True, "side": "right"}}),
        ("It's just plantar fasciitis under the left heel.", {"pain_under_heel": {"present": True, "side": "left"}}),
        # one side of the heel is not both sides (the finding's definition); both sides with a side named are
        ("The pain is on the inner side of my right heel.", {"pain_sides_of_heel": None}),
        ("sore on the sides of my left heel", {"pain_sides_of_heel": {"present": True, "side": "left"}}),
        # the tenth batch's lay words (NHS back pain, cauda equina, sepsis and acute limb ischaemia pages; Irish,
        # northern English and US registers; capitals and chat transcripts)
        ("BACK WENT 4 DAYS AGO PICKING UP MY TODDLER.", {"low_back_pain": True}),
        ("I'm after hurting my back lifting the buggy.", {"low_back_pain": True}),
        ("My back's been at me since I slipped.", {"low_back_pain": True}),
        ("Hurt me back Fri hitching the trailer.", {"low_back_pain": True}),
        ("Me: lower back, tweaked it moving a couch", {"low_back_pain": True}),
        ("TODAY I MESSED MYSELF AT WORK AND DIDNT EVEN FEEL IT COMING.", {"bowel_dysfunction": True}),
        ("myself and my husband tried twice and I felt nothing at all", {"new_sexual_dysfunction": True}),
        ("Bot: Is the foot colder or paler than the other one?\nUser: yes it's white and cold as ice",
         {"cold_pale_foot": True}),
        ("he is talking strange, he does not know my name", {"new_confusion": True}),
        ("his body is very hot and shaking", {"fever": True}),
        ("it aches even when I sit still", {"pain_at_rest_or_night": True}),
        ("Nothing to report: feet warm and pink, no black bits, no sores.",
         {"skin_black_purple_or_blistering": False, "puncture_wound_or_ulcer": False}),
        ("My nurse said if my foot goes cold and white to dial 111. Not yet, touch wood.", {"cold_pale_foot": False}),
        ("Numb down below? Yes since Monday.", {"saddle_numbness": True}),
        ("Do I still get pins and needles in my feet from the chemo? Not anymore - they settled.",
         {"tingling_pins_needles": False}),
        ("Diabetes runs right through my family - Dad, Nan and two uncles. Not diabetic.", {"diabetes": False}),
        ("tiny cut on heel. pain insane. skin going black", {"pain_out_of_proportion": True}),
        ("my right toes keep catching on the carpet", {"foot_drop_or_tripping": {"present": True, "side": "right"}}),
        ("my legs have been getting heavier and weaker by the day", {"bilateral_leg_weakness": True}),
        ("c/o R heel pain, plantar aspect, on rising, 2/12", {"first_step_pain": True}),
        ("My heels are sore on the underside after night shifts.", {"pain_under_heel": True}),
        ("My nurse said if my foot ever goes cold and white, I'm to dial 111. Not yet, touch wood.",
         {"cold_pale_foot": False}),
        ("Since Sun can't get it up at all, and me bits feel numb.", {"saddle_numbness": True}),
        ("It hasn't - my bottom feels normal.", {"saddle_numbness": False}),
        ("And I'm not sure any more when I need a wee.", {"altered_urinary_sensation": True}),
        # the eleventh batch's registers: letters, vignettes and handovers beside people's own words (NHS sciatica,
        # sepsis, cellulitis, foot drop and cauda equina pages; GIRFT CES card; Diabetes UK neuropathy)
        ("over the last five days the pain has started switching between her legs",
         {"new_bilateral_or_alternating_sciatica": True}),
        ("Buttock ache alternating sides.", {"new_bilateral_or_alternating_sciatica": None}),  # SpA, not sciatica
        ("she's been chatting to Grandad, who died in 2015", {"new_confusion": True}),
        ("very unsettled and didn't know she was in the home", {"new_confusion": True}),
        ("my left foot won't come up off the accelerator properly",
         {"foot_drop_or_tripping": {"present": True, "side": "left"}}),
        ("I keep missing the bottom stair because the toes catch", {"foot_drop_or_tripping": True}),
        ("she's shaking so hard her teeth chatter but she's burning hot to touch", {"fever": True}),
        ("both legs just won't push", {"bilateral_leg_weakness": True}),
        ("I can't tell if the bath's hot with my right foot any more", {"numbness": {"present": True, "side": "right"}}),
        ("he says the end of his penis feels like it's wrapped in cling film", {"saddle_numbness": True}),
        ("She says she can no longer feel the toilet paper when she wipes.", {"saddle_numbness": True}),
        ("perianal sensation remains absent", {"saddle_numbness": True}),
        ("She reports normal feeling when she wipes.", {"saddle_numbness": False}),
        ("twice this week I didn't know I needed a number two until it was already happening",
         {"bowel_dysfunction": True}),
        ("Lower back's been rubbish since I dug over the veg patch.", {"low_back_pain": True}),
        ("Both legs ache down the back to the ankles.", {"leg_pain_radiating_below_knee": {"present": True, "side": "both"}}),
        ("a scratch off a rose bush, but the back of my left heel hurts more than when I broke my wrist",
         {"pain_out_of_proportion": {"present": True, "side": "left"}}),
        ("the nurse drew a pen line round the redness on my right shin at 9 this morning and it's already 4 inches past it",
         {"rapidly_spreading_redness": {"present": True, "side": "right"}}),
        ("Wakes with it in the 2nd half of the night.", {"pain_at_rest_or_night": True}),
        ("the soles of my heels are really tender for a few steps", {"pain_under_heel": True}),
        ("It's just my right heel, dead in the middle underneath.", {"pain_centre_of_heel_pad": True}),
        ("painful R Achilles, mid-substance, roughly 4 cm proximal to the heel bone",
         {"pain_achilles_above_heel": {"present": True, "side": "right"}}),
        ("she keeps drinking from the bathroom tap", {"thirst_or_passing_much_urine": True}),
        ("he cannot tell whether his bladder is full", {"altered_urinary_sensation": True}),
        ("my bits were numb for about an hour - completely gone by teatime", {"saddle_numbness": None}),
        ("Cancer-wise, the breast lump I had in 2020 turned out to be a fibroadenoma, not cancer.",
         {"history_of_cancer": False}),
        ("ciprofloxacin isn't ideal at my age with the prednisolone I take for polymyalgia", {"oral_steroid_use": True}),
        # the twelfth batch's registers: care homes, coaches, one-line triage answers, old and new episodes, medicine
        # names (NHS cauda equina, sepsis, cellulitis and diabetes pages; Diabetes UK 4 Ts; MHRA quinolone warning)
        ("fever n, numbness y - toes only, diabetic 20 yrs, bladder ok, bowels n/a (stoma)",
         {"fever": None, "numbness": True, "bladder_dysfunction": False, "bowel_dysfunction": None}),
        ("back pain y - 4 days, numb saddle y, trouble peeing y - cant get it started, fever n",
         {"saddle_numbness": True, "fever": None}),
        ("Back in 2016 I had cellulitis in this leg - redness racing up to the knee, shaking with fever.", {"fever": None}),
        ("Med centre gave me the spiel: numb backside, can't wee, or both legs going weak means straight back in. "
         "Nothing like that.", {"saddle_numbness": False, "bilateral_leg_weakness": False}),
        ("My husband reckons I'm getting confused because I keep losing my glasses.", {"new_confusion": None}),
        ("Since Monday both legs have been going from under her, a bit more each day.", {"progressive_weakness": True}),
        ("everything between my legs feels like it's wrapped in bubble wrap", {"saddle_numbness": True}),
        ("Last night with my partner I felt nothing at all down there.", {"new_sexual_dysfunction": True}),
        ("he's been wetting and soiling himself and doesn't seem to know it's happening",
         {"altered_urinary_sensation": True}),
        ("a sudden pain in her left foot, and now it's paler than the right and cool when I touch it",
         {"cold_pale_foot": True}),
        ("Has emptied three jugs of squash today and still asks for more.", {"thirst_or_passing_much_urine": True}),
        ("I keep losing my thread and forgot my own phone number this morning, which isn't me", {"new_confusion": True}),
        ("Since about 2am she has no idea where she is.", {"new_confusion": True}),
        ("Sitting in the car it's like my bum is asleep and won't wake up.", {"saddle_numbness": True}),
        ("For the record: feeling round the back passage normal, bowels regular.", {"saddle_numbness": False}),
        ("It's a muscly ache low in my back since Saturday.", {"low_back_pain": True}),
        ("On Deltacortril 5 mg x 6 a day for a colitis flare.", {"oral_steroid_use": True}),
        ("Finished a course of 'ciproflaxin' for a water infection a week ago.", {"quinolone_antibiotic_recent": True}),
        ("Lower back is locked.", {"low_back_pain": True}),
        ("a cut on the back of my right heel from my slipper that hasn't healed in 7 weeks",
         {"foot_sore_not_healing": {"present": True, "side": "right"}}),
        ("Ex-smoker, 72, type 2.", {"diabetes": True}),
        ("In the middle of the night my right heel woke me.", {"pain_at_rest_or_night": True}),
        ("It's the bottoms of both heels that throb.", {"pain_under_heel": {"present": True, "side": "both"}}),
        ("The Achilles is its usual ache two finger-widths above my left heel.",
         {"pain_achilles_above_heel": {"present": True, "side": "left"}}),
        ("trod barefoot on a spiked boot and it went into the underside of his heel", {"puncture_wound_or_ulcer": True}),
        ("the redness has raced up towards the ankle since lunch", {"rapidly_spreading_redness": True}),
        ("for the record: both Achilles are fine, no pain at all",
         {"pain_achilles_above_heel": {"present": False, "side": "both"}}),
        ("Skin broken: no.", {"puncture_wound_or_ulcer": False}),
        ("I'm 36.9 and fine.", {"fever": False}),
        ("No numbness when I wipe.", {"saddle_numbness": False}),
        ("Both are warm and a normal pink.", {"cold_pale_foot": False}),
        ("Back's fine, no numbness anywhere.", {"low_back_pain": False}),
        # "can't ... without pain" says the pain is there
        ("Can't stand on tiptoe on the left without pain at the back of the ankle.",
         {"pain_achilles_above_heel": {"present": True, "side": "left"}}),
        ("Can't walk far without my back hurting.", {"low_back_pain": True}),
        ("I can walk without pain.", {"low_back_pain": None}),
        # a loss explained as meant after a "but" (NHS: weight loss "without trying" is the warning sign)
        ("Lost 8 kg since January, but that's the gym and giving up beer - all on purpose.",
         {"unexplained_weight_loss": False}),
        ("Lost a stone, but it's not the diet.", {"unexplained_weight_loss": True}),
        # a normal reading with a verb before it ("temperature is 36.8")
        ("My temperature is 36.8.", {"fever": False}),
        ("Temperature was 37.2 this morning.", {"fever": False}),
        ("Since Sunday my left foot has been cold and white as marble.", {"cold_pale_foot": True}),
        ("L foot suddenly painful; now white and cold to touch compared with the R", {"cold_pale_foot": True}),
        ("I ice it every night until the skin is cold and white to the touch.", {"cold_pale_foot": None}),
        ("My feet have been cold since I started the beta blockers.", {"cold_pale_foot": None}),
        ("Her left foot has been cold and a bluish white for weeks.", {"cold_pale_foot": True}),
        ("My foot is cold and white and if I'm honest it's gone a dusky purple at the toes.",
         {"cold_pale_foot": True, "skin_black_purple_or_blistering": True}),
        ("I don't feel anything unusual when I wipe.", {"saddle_numbness": None}),
        ("I opened my bowels this morning without feeling any pain.", {"bowel_dysfunction": None}),
        ("I get cramp at night in my right leg and now the left leg as well.",
         {"new_bilateral_or_alternating_sciatica": None}),
        ("The bruise on my heel has gone a deep purple colour.", {"skin_black_purple_or_blistering": None}),
        ("I'm up to wee three times a night, always have been since my prostate.", {"thirst_or_passing_much_urine": None}),
        # from a third independent review (present signs kept, everyday words not read)
        ("Sciatica down my right leg for a month. Now the left leg as well.", {"new_bilateral_or_alternating_sciatica": True}),
        ("The right leg has been bad for weeks and now the left leg too.", {"new_bilateral_or_alternating_sciatica": True}),
        ("I'm up to wee 3 times a night for the last fortnight, always gasping for a drink.",
         {"thirst_or_passing_much_urine": True}),
        ("The redness spread up my leg on Monday but it's gone a lot better since the antibiotics.",
         {"rapidly_spreading_redness": None}),
        ("After icing my foot for 20 minutes it was cold and white to the touch, which I think is normal.",
         {"cold_pale_foot": None}),
        ("My foot has been pale since this morning.", {"cold_pale_foot": True}),
        ("My left foot is a funny colour. It's cold and white to the touch.", {"cold_pale_foot": True}),
        ("My big toe has gone a dark purple colour.", {"skin_black_purple_or_blistering": True}),
        ("I can't feel it much when I wipe now.", {"saddle_numbness": True}),
        ("My daughter is two and did a poo in her nappy on my foot.", {"bowel_dysfunction": None}),
        ("he opened his bowels in his chair without knowing", {"bowel_dysfunction": True}),
        ("i did a poo in my pants and i did not know it was coming", {"bowel_dysfunction": True}),
        ("Denies back pain, leg weakness, numbness, fever.", {"bilateral_leg_weakness": False, "fever": False}),
        ("I have leg weakness.", {"bilateral_leg_weakness": None}),
        ("yelps if you pinch them either side", {"pain_sides_of_heel": True}),
        ("my heel hurts. the bottom of my heel.", {"pain_under_heel": True}),
        ("it's like walking on broken glass under my heel", {"pain_under_heel": True}),
        ("No 🙅 numbness down below, no bladder issues.", {"saddle_numbness": False}),
        ("No numbness down below, no problems peeing or pooing.", {"bowel_dysfunction": False, "bladder_dysfunction": False}),
        ("no weakness, no fever", {"bilateral_leg_weakness": False}),
        ("No weakness in my left foot.", {"bilateral_leg_weakness": None}),
        ("Sciatica only ever in my left leg, never both.", {"new_bilateral_or_alternating_sciatica": False}),
        ("It was only down the right leg, now it's down both legs.", {"new_bilateral_or_alternating_sciatica": True}),
        ("My oncologist said to report any new back pain, but it's not my back.", {"low_back_pain": False}),
        ("Inside my ankle, under the round bone, it burns and goes into the sole of the foot.",
         {"pain_inner_ankle_to_sole": True}),
        ("shooting pain L buttock -> back of calf -> heel", {"leg_pain_radiating_below_knee": {"present": True, "side": "left"}}),
        ("Tiny heel cut, now purple blotches.", {"puncture_wound_or_ulcer": True}),
        # messages and letters of the thirteenth and fourteenth batches: heel sites a clause from the pain (NHS
        # plantar fasciitis; Achilles pages), sciatica joining the other leg (NHS sciatica), legs giving way and foot
        # drop (GIRFT CES; NHS foot drop), not recognising places or people (NHS sepsis), the 4 Ts (Diabetes UK),
        # retention and a stream that stops and starts (NHS urinary retention), bowels not felt (GIRFT CES card)
        ("Under both heels it's a deep, bruised ache by teatime.", {"pain_under_heel": {"present": True, "side": "both"}}),
        ("The actual problem is under my right heel.", {"pain_under_heel": {"present": True, "side": "right"}}),
        ("It's my left heel I want looking at: the back of it is sore in my slippers.",
         {"pain_back_of_heel": {"present": True, "side": "left"}}),
        ("Sciatica in my right leg since February. Since Monday it's started in my good leg too.",
         {"new_bilateral_or_alternating_sciatica": True}),
        ("been down my left leg for 6 weeks\nwoke up today and the right's doing it too",
         {"new_bilateral_or_alternating_sciatica": True}),
        ("the left leg one day, the right the next", {"new_bilateral_or_alternating_sciatica": True}),
        ("the pain won't stay in one leg it hops from one to the other", {"new_bilateral_or_alternating_sciatica": True}),
        ("my legs feel like a puppet's with the strings cut - both of them give way", {"bilateral_leg_weakness": True}),
        ("my right foots gone floppy", {"foot_drop_or_tripping": {"present": True, "side": "right"}}),
        ("Now my left foot is hanging down, I cannot lift the toes up.",
         {"foot_drop_or_tripping": {"present": True, "side": "left"}}),
        ("She didn't recognise the kitchen she's had for 50 years.", {"new_confusion": True}),
        ("she thought I was dad and she doesnt know where she is she was completely fine on sunday",
         {"new_confusion": True}),
        ("both cheeks of my arse go num when i sit on the toilet", {"saddle_numbness": True}),
        ("he's waking in the night asking for drinks", {"thirst_or_passing_much_urine": True}),
        ("i could drink the sink dry tbh", {"thirst_or_passing_much_urine": True}),
        ("lost about a stone w/o trying", {"unexplained_weight_loss": True}),
        ("by morning it was red and hot, and the thermometer said 101.3.", {"fever": True}),
        ("Bladder fine - well, actually, now I think about it, I stand there ages before anything comes.",
         {"bladder_dysfunction": True}),
        ("the wee stops and starts", {"bladder_dysfunction": True}),
        ("twice since Wednesday my bowels have just gone without me feeling it", {"bowel_dysfunction": True}),
        ("Mrs B was muddled all last week with a water infection.", {"new_confusion": None}),
        ("In January I had a gout flare with a temperature of 38.2.", {"fever": None}),
        ("I can't lift the toes up without pain in my heel.", {"foot_drop_or_tripping": None}),
        # the lower back and the heel given as places in replies, lists and notes (NHS back pain; NHS plantar fasciitis)
        ("Q: Where is your pain?\nA: low back mainly, and under my left heel for the first few steps",
         {"low_back_pain": True, "pain_under_heel": {"present": True, "side": "left"}}),
        ("Things to say:\n- lower back since I fell on the ice", {"low_back_pain": True}),
        ("can barely stand up straight, back's locked", {"low_back_pain": True}),
        ("a sharp pain shot across her low back", {"low_back_pain": True}),
        ("Lower back: fine", {"low_back_pain": None}),
        ("- lower back exercises from the physio", {"low_back_pain": None}),
        # heel sites told by pointing and holding (podiatry and Achilles pages; NHS heel pain)
        ("Both heels sore, round the back.", {"pain_back_of_heel": {"present": True, "side": "both"}}),
        ("he's limping off the pitch holding the backs of his heels", {"pain_back_of_heel": True}),
        ("What I'd like looked at is the back of my left heel.", {"pain_back_of_heel": {"present": True, "side": "left"}}),
        ("just above the heel is swollen and sore", {"pain_achilles_above_heel": True}),
        ("the left heel throbs if I pinch it between finger and thumb from either side",
         {"pain_sides_of_heel": {"present": True, "side": "left"}}),
        # not noticing is the warning sign, not its denial (GIRFT CES card: not feeling urine or stool pass)
        ("i didnt realise id pooed myself", {"bowel_dysfunction": True}),
        ("I hadn't noticed I had soiled myself", {"bowel_dysfunction": True}),
        ("I never knew I'd wet myself", {"bladder_dysfunction": True}),
        ("didn't realise my foot had gone white", {"cold_pale_foot": True}),
        ("I didn't wet myself", {"bladder_dysfunction": False}),
        ("I didn't notice any numbness", {"numbness": False}),
        ("I don't remember passing urine today", {"bladder_dysfunction": None}),
        # a limb's words for the saddle (NHS cauda equina: numbness around the bottom)
        ("its like my backside has gone to sleep and wont wake up", {"saddle_numbness": True}),
        # weight lost without trying, as said (NHS cancer symptoms)
        ("been dropping weight without trying, 2 stone since summer", {"unexplained_weight_loss": True}),
        ("the weight is just falling off me", {"unexplained_weight_loss": True, "recent_trauma": None}),
        ("losing weight on purpose, dropping 2 stone with slimming world", {"unexplained_weight_loss": False}),
        # shivering and shaking (NHS sepsis)
        ("teeth chattering and i cant get warm", {"fever": True}),
        ("my teeth were chattering in the cold at the bus stop", {"fever": None}),
        # sciatica in one leg then the other (NHS sciatica)
        ("the pain shoots down one leg then the other", {"new_bilateral_or_alternating_sciatica": True}),
        # a colour change in the words people use (NHS acute limb ischaemia: pale, blue or mottled)
        ("my foot has gone a funny grey colour and feels like ice", {"cold_pale_foot": True}),
        ("his foot went a bluish colour", {"cold_pale_foot": True}),
        ("my foot's gone white and cold", {"cold_pale_foot": True}),
        # the genitals numb in any words: saddle numbness and sexual dysfunction (GIRFT CES pathway: loss of genital
        # sensation)
        ("I've lost feeling in my penis", {"saddle_numbness": True, "new_sexual_dysfunction": True}),
        ("my willy has gone numb", {"saddle_numbness": True, "new_sexual_dysfunction": True}),
        ("no numbness in my penis", {"saddle_numbness": False, "new_sexual_dysfunction": False}),
        # how a thing happened is not whether it did
        ("Without warning my legs gave way", {"bilateral_leg_weakness": True}),
        ("Not a day goes by without the pain waking me at night", {"pain_at_rest_or_night": True}),
        # not being able to pee (NHS cauda equina)
        ("I haven't been able to pee since last night", {"bladder_dysfunction": True}),
        # a reading said of the person, not an age (NHS fever: 38 or above)
        ("Not to worry anyone, but I'm 39.2", {"fever": True}),
        ("I'm 38.5 weeks pregnant", {"fever": None}),
        # a denial before a match that runs on into the sign said in denying words belongs to its first clause
        ("i haven't been for a poo in a week and can't feel when i need to", {"bowel_dysfunction": None}),
        # what spreads is redness, not weakness (NHS cellulitis: redness that spreads)
        ("the weakness is spreading up my leg", {"rapidly_spreading_redness": None}),
        ("the red bit is getting bigger by the hour", {"rapidly_spreading_redness": True}),
        ("the redness isn't getting bigger", {"rapidly_spreading_redness": False}),
        # loss of bowel control in lay words (NHS cauda equina)
        ("i keep pooing myself", {"bowel_dysfunction": True}),
        ("I haven't pooed myself", {"bowel_dysfunction": False}),
        # a red, hot, swollen heel (NHS cellulitis)
        ("my heel is red raw hot and puffed up", {"heel_red_hot_swollen": True}),
        # weakness getting worse, its course told beside it (GIRFT CES pathway; NHS foot drop)
        ("My foot does not lift up. It slaps on the floor. It is worse every day.",
         {"foot_drop_or_tripping": True, "progressive_weakness": True}),
        ("Both his legs gave way getting off the commode - he did the same transfer fine yesterday.",
         {"progressive_weakness": True}),
        ("My heel pain is worse every day.", {"progressive_weakness": None}),
        ("No weakness in my legs, but the heel is worse than yesterday.", {"progressive_weakness": None}),
        # thirst and passing much urine (Diabetes UK: the 4 Ts)
        ("I've got a mouth like sandpaper and I'm up to the toilet every hour, even through the night.",
         {"thirst_or_passing_much_urine": True}),
        ("Drinking 4-5 litres a day and still parched.", {"thirst_or_passing_much_urine": True}),
        # legs giving way, the lower back, foot drop (NHS cauda equina, back pain, foot drop)
        ("both my legs have switched off under me", {"bilateral_leg_weakness": True}),
        ("Since yesterday they won't carry her to the bathroom at all", {"bilateral_leg_weakness": True}),
        ("felt something go in my lower back", {"low_back_pain": True}),
        ("My foot keeps scuffing and I'm having to lift my knee up high like I'm marching.",
         {"foot_drop_or_tripping": True}),
        # limb and skin colour (NHS acute limb ischaemia; necrotising fasciitis; pressure ulcers)
        ("my toes are a bloodless white and stone cold", {"cold_pale_foot": True}),
        ("the back of her heel had gone dark maroon and the skin has lifted", {"skin_black_purple_or_blistering": True}),
        # the saddle, sex and sensation (GIRFT CES card)
        ("everything down there feels dull, like it's been novocained", {"saddle_numbness": True}),
        ("since Sunday I can't properly feel the toilet seat under me", {"saddle_numbness": True}),
        ("he hasn't been able to get an erection since the fall", {"new_sexual_dysfunction": True}),
        ("woke up with my pyjama bottoms wet through and genuinely never felt it happen",
         {"bladder_dysfunction": True, "altered_urinary_sensation": True}),
        ("I don't get the feeling I need to go until my belly is tight as a drum", {"altered_urinary_sensation": True}),
        ("I've had one poo accident I didn't feel coming", {"bowel_dysfunction": True}),
        # a heel red and hot in a list with other words, a reading with its unit alone (NHS cellulitis; NHS fever)
        ("the heel has ballooned - red, tight, shiny and hot to touch", {"heel_red_hot_swollen": True}),
        ("Never with a temperature before. 38.4°C (101.1°F).", {"fever": True}),
        # pain told as extreme beside a small wound (NHS necrotising fasciitis)
        ("Got a blister on my heel. It hurts like nothing I've ever known.", {"pain_out_of_proportion": True}),
        ("It hurts like nothing I've ever known.", {"pain_out_of_proportion": None}),
        # corrections and resolutions
        ("Temp 38.1 - scratch that, I'd just had a cup of hot tea.", {"fever": False}),
        ("I'm so confused about which shoes to get", {"new_confusion": None}),
        ("he doesn't know what year it is", {"new_confusion": True}),
        ("Today he couldn't tell me his own address", {"new_confusion": True}),
        ("one leg in the morning, the other by teatime, and today both at once",
         {"new_bilateral_or_alternating_sciatica": True}),
        ("Scraped my heel on coral. It's barely a mark, but the pain made me throw up.", {"pain_out_of_proportion": True}),
        ("Everything down below was numb for a few hours, but the feeling came back fully by the evening.",
         {"saddle_numbness": None}),
        # medspaCy's "still" no longer ends a condition (NHS cellulitis: go back if you still have a temperature)
        ("The leaflet says go back if I still have a temperature after 48 hours.", {"fever": None}),
        ("Had sciatica in 2019, still get numbness in my bum", {"saddle_numbness": True}),
        ("they feel a normal temperature to me", {"fever": False}),
        # the heel's sites said of the complaint (NHS plantar fasciitis; Haglund's and Achilles pages)
        ("It's the bottom of my right heel.", {"pain_under_heel": {"present": True, "side": "right"}}),
        ("my heel hurts at the bottom", {"pain_under_heel": True}),
        ("I've grown a bony knob at the back of my heel", {"pain_back_of_heel": True}),
        ("the bit between my calf and heel is sore", {"pain_achilles_above_heel": True}),
        ("the cord above my heel is really sore", {"pain_achilles_above_heel": True}),
    ],
)
def test_wording_families_from_published_cases(extract, text, expected):
    found = answers(extract, text)
    assert {k: found.get(k) for k in expected} == expected


# A warning sign read as denied is silently dropped: a denial must end where what the person has
# begins, and words that only sound like a denial must not deny. The warning signs are the GIRFT
# suspected cauda equina pathway's and the NHS acute limb ischaemia page's; the sentences are new.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("No fever no redness just numbness down below when I wipe.", {"fever": False, "saddle_numbness": True}),
        ("Nothing like that, only my bum is numb.", {"saddle_numbness": True}),
        ("no fever no swelling just my legs keep giving way", {"fever": False, "bilateral_leg_weakness": True}),
        ("I haven't got any of that apart from I can't feel when I need to pee.",
         {"altered_urinary_sensation": True}),
        ("Never had back trouble till now: sciatica in both legs.", {"new_bilateral_or_alternating_sciatica": True}),
        ("Never been this bad, both legs weak.", {"bilateral_leg_weakness": True}),
        ("I didn't realise I'd wet myself until I stood up.", {"bladder_dysfunction": True}),
        ("Nobody can tell me why my legs are getting weaker every day.",
         {"bilateral_leg_weakness": True, "progressive_weakness": True}),
        ("My foot is cold and has gone a bluey-grey colour.", {"cold_pale_foot": True}),
        # ...while a denial still reaches along its own list
        ("No numbness down below, no trouble peeing and my legs aren't weak.",
         {"saddle_numbness": False, "bladder_dysfunction": False, "bilateral_leg_weakness": False}),
        ("I never had any numbness down below.", {"saddle_numbness": False}),
        ("The tingling has gone now.", {"tingling_pins_needles": False}),
        ("Nobody in my family has psoriasis.", {"family_history_spa": False}),
    ],
)
def test_a_denial_ends_where_what_the_person_has_begins(extract, text, expected):
    found = answers(extract, text)
    assert {k: found.get(k) for k in expected} == expected


# Warning signs as the GIRFT CES symptom card, the NHS sciatica, sepsis, cellulitis and acute limb
# ischaemia pages and NICE NG12 word them (sentences new), each read as present when said alone.
WARNING_SIGNS_SAID_PLAINLY = [
    ("I can't feel the toilet paper when I wipe.", "saddle_numbness"),
    ("My bum goes numb on the toilet seat.", "saddle_numbness"),
    ("I can't tell when I need to pee.", "altered_urinary_sensation"),
    ("I've wet myself twice today.", "bladder_dysfunction"),
    ("I can't get an erection since my back went.", "new_sexual_dysfunction"),
    ("My legs keep giving way.", "bilateral_leg_weakness"),
    ("My legs are getting weaker every day.", "progressive_weakness"),
    ("My foot suddenly went cold and white.", "cold_pale_foot"),
    ("The skin on my heel has gone black.", "skin_black_purple_or_blistering"),
    ("The redness is spreading up my leg.", "rapidly_spreading_redness"),
    ("I've got a temperature of 38.5.", "fever"),
    ("I feel confused.", "new_confusion"),
    ("I've lost a stone without trying.", "unexplained_weight_loss"),
]
OTHER_DENIALS = ["no fever", "nothing wrong with my heel", "I don't smoke", "never had back pain before",
                 "no injury", "I haven't fallen"]
STATEMENT_BREAKS = [". ", " but ", " just ", ", but ", "; ", " - ", ", only ", " apart from that ", " 🙄 ", " 😬 "]


# warning signs denied the way the GIRFT CES card and NHS sepsis and limb pages list them
WARNING_SIGNS_DENIED = [
    ("no weakness in both legs", ["bilateral_leg_weakness", "new_bilateral_or_alternating_sciatica"]),
    ("no weakness in my legs", ["bilateral_leg_weakness"]),
    ("no numbness between my legs", ["saddle_numbness"]),
    ("not numb or tingly down below", ["saddle_numbness"]),
    ("no loss of feeling when I wipe", ["saddle_numbness"]),
    ("no problems with peeing or pooing", ["bladder_dysfunction", "bowel_dysfunction"]),
    ("no change in my bladder or bowels", ["bladder_dysfunction", "bowel_dysfunction"]),
    ("no cut, wound or ulcer on my heel", ["puncture_wound_or_ulcer"]),
    ("no blisters and no black skin", ["skin_black_purple_or_blistering"]),
    ("no fever or shivering", ["fever"]),
    ("the redness isn't spreading or getting bigger", ["rapidly_spreading_redness"]),
    ("my foot isn't cold or white", ["cold_pale_foot"]),
    ("no trouble in the bedroom", ["new_sexual_dysfunction"]),
]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=st.sampled_from(WARNING_SIGNS_DENIED), second=st.sampled_from(WARNING_SIGNS_DENIED),
       joint=st.sampled_from([", ", ". ", " and ", "; "]))
def test_a_warning_sign_denied_in_a_list_is_never_read_present(extract, first, second, joint):
    text = first[0][0].upper() + first[0][1:] + joint + second[0] + "."
    found = answers(extract, text)
    for finding_id in first[1] + second[1]:
        value = found.get(finding_id)
        assert not (value is True or (isinstance(value, dict) and value["present"])), (text, finding_id, value)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sign=st.sampled_from(WARNING_SIGNS_SAID_PLAINLY), denial=st.sampled_from(OTHER_DENIALS),
       joint=st.sampled_from(STATEMENT_BREAKS))
def test_a_denial_of_something_else_never_denies_a_warning_sign_said_after_it(extract, sign, denial, joint):
    sentence, finding_id = sign
    assert answers(extract, sentence).get(finding_id) is True  # the premise: said alone, it is read
    said_after = sentence if joint == ". " else sentence[0].lower() + sentence[1:]
    assert answers(extract, denial + joint + said_after).get(finding_id) is True


# another clause told before or after a warning sign: something else got better, denied, hedged, asked about,
# advised or a relative's; whatever its cue, it never settles the sign (it may make it a question)
OTHER_CLAUSES = ["the fever has cleared up", "my cough has settled", "the rash went away", "the bruise has gone",
                 "the swelling is back to normal", "my blood sugar is fine", "the X-ray was normal", "is that normal?",
                 "I don't smoke", "there's no swelling", "neither leg is swollen", "I'm not diabetic",
                 "I haven't been abroad", "I've never had cancer", "my mum had a fever last year",
                 "I might be coming down with a cold", "the physio said it's probably nothing",
                 "the GP said to go to A&E if it gets worse", "my husband has a fever", "my sister had cauda equina",
                 "I had a fever at Christmas but that cleared up", "it doesn't hurt at night", "I'm otherwise well"]
CLAUSE_JOINERS = [" and ", ", ", " but ", ". ", " - ", " plus ", " and now "]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sign=st.sampled_from([s for s in WARNING_SIGNS_SAID_PLAINLY if s[1] != "fever"]),
       other=st.sampled_from(OTHER_CLAUSES), joiner=st.sampled_from(CLAUSE_JOINERS), sign_first=st.booleans())
def test_another_clause_never_settles_a_warning_sign_beside_it(context, sign, other, joiner, sign_first):
    sentence, finding_id = sign
    sentence = sentence.rstrip(".")
    first, second = (sentence, other) if sign_first else (other, sentence[0].lower() + sentence[1:])
    text = f"{first[0].upper()}{first[1:]}{joiner}{second}"
    intake = context.read_text(text)
    assert intake.to_case_findings().get(finding_id) is True or finding_id in context.to_confirm(intake), text


# typed or dictated with no punctuation at all, as voice-to-text and low-literacy texts often are
RUN_ON_DENIALS = ["no fever", "no injury", "never had back pain before", "no injury at all", "no fever today",
                  "I don't smoke", "not diabetic", "nothing like this before"]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sign=st.sampled_from([s for s in WARNING_SIGNS_SAID_PLAINLY if s[0].split()[0] in ("I", "I've", "My")]),
       denial=st.sampled_from(RUN_ON_DENIALS))
def test_a_denial_never_runs_on_into_a_warning_sign_told_without_punctuation(extract, sign, denial):
    sentence, finding_id = sign
    said_after = sentence.rstrip(".").replace("My ", "my ", 1)
    assert answers(extract, f"{denial} {said_after}").get(finding_id) is True


@pytest.mark.parametrize(("text", "expected"), [
    # a denial still reaches what it denies when a subject follows a verb of its own
    ("I haven't noticed my legs getting weaker.", {"bilateral_leg_weakness": False}),
    ("No pain in my back or numbness in my legs.", {"low_back_pain": False, "numbness": False}),
    ("No fever I know of.", {"fever": False}),
    # "no idea why" denies nothing
    ("i have no idea why my bum went numb", {"saddle_numbness": True}),
])
def test_a_denial_in_run_on_text_reaches_what_it_denies_and_no_further(extract, text, expected):
    got = answers(extract, text)
    assert {k: got.get(k) for k in expected} == expected


# a denial's list ends at an item dated now (GIRFT CES card: sciatica in both legs; the person's
# own run-on messages), while "no X or Y now" and "no X, Y or Z" stay one list
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("no fever, sciatica in both legs now", {"fever": False, "new_bilateral_or_alternating_sciatica": True}),
        ("no fever, numbness down below today.", {"fever": False, "saddle_numbness": True}),
        ("no fever, chills or sweats", {"fever": False}),
        ("no numbness or tingling now", {"numbness": False, "tingling_pins_needles": False}),
        ("no rash, no fever now", {"fever": False}),
    ],
)
def test_a_list_item_dated_now_is_a_statement_of_its_own(extract, text, expected):
    got = answers(extract, text)
    assert {k: got.get(k) for k in expected} == expected


# online consultation forms and 111/triage questions answered in the text (NHS England, "Online
# consultation systems in general practice"; the GIRFT suspected cauda equina symptom card's questions)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Any fever? No", {"fever": False}),
        ("Any problems passing urine? No\nAny problems opening your bowels? No",
         {"bladder_dysfunction": False, "bowel_dysfunction": False}),
        ("Do you have diabetes? Yes, type 1", {"diabetes": True}),
        ("Have you ever had cancer? No\nIf yes, what type? N/A", {"history_of_cancer": False}),
        ("Are you taking steroid tablets (e.g. prednisolone)? No", {"oral_steroid_use": False}),
        ("Passing urine more often than usual? Might be - I drink a lot of tea.", {"thirst_or_passing_much_urine": None}),
        ("Fever: no. Numbness down below: no", {"fever": False, "saddle_numbness": False}),
        ("Do you have any of the following?\nNumbness around your genitals or back passage / Difficulty passing "
         "urine / Weakness in both legs\nAnswer: None of these",
         {"saddle_numbness": False, "bladder_dysfunction": False, "bilateral_leg_weakness": False}),
        # "No" that starts a statement is not an answer; "not checked" leaves the question open
        ("Numb down below? No feeling at all.", {"saddle_numbness": True}),
        ("Temperature: not checked", {"fever": None}),
    ],
)
def test_a_question_answered_in_the_text_gives_its_answer(extract, text, expected):
    got = answers(extract, text)
    assert {k: got.get(k) for k in expected} == expected


# a warning sign asked on a form or by a friend and answered in words no rule reads (NHS online consultation forms;
# NHS sepsis and cauda equina pages' signs as the questions): asked first, never counted as there
@pytest.mark.parametrize(("text", "finding_id"), [
    ("Fever? Haven't checked.", "fever"),
    ("Temperature? Not taken it but I feel fine.", "fever"),
    ("Bladder problems? Don't think so.", "bladder_dysfunction"),
    ("Do you have a fever? I don't think so.", "fever"),
    ("Any fever? My heel hurts underneath.", "fever"),
    ("Any redness spreading? Not that I could see in this light.", "rapidly_spreading_redness"),
])
def test_a_warning_sign_asked_and_answered_in_words_no_rule_reads_is_asked(context, text, finding_id):
    intake = context.read_text(text)
    assert intake.to_case_findings().get(finding_id) is None
    assert finding_id in context.to_confirm(intake)


ASKED_LABELS = [("Fever", "fever"), ("Any numbness down below", "saddle_numbness"), ("Bladder problems", "bladder_dysfunction"),
                ("Both legs weak", "bilateral_leg_weakness"), ("Foot cold or pale", "cold_pale_foot"),
                ("Any redness spreading", "rapidly_spreading_redness"), ("Loss of feeling when wiping", "saddle_numbness"),
                ("Do you feel confused at all", "new_confusion")]
UNREAD_REPLIES = ["Haven't checked.", "Don't think so.", "Hard to say.", "Ask my wife.", "My heel hurts underneath.",
                  "Not that I could tell, to be honest", "Didn't look"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(label=st.sampled_from(ASKED_LABELS), reply=st.sampled_from(UNREAD_REPLIES))
def test_a_warning_sign_a_question_names_is_never_there_by_the_question_alone(context, label, reply):
    """Whatever words answer it, a question's own words never tell its warning sign: it is asked unless answered."""
    words, finding_id = label
    intake = context.read_text(f"{words}? {reply}")
    assert intake.to_case_findings().get(finding_id) is None
    assert finding_id in context.to_confirm(intake)


@pytest.mark.parametrize(("text", "finding_id"), [
    ("Fever? 38.5 last night.", "fever"),  # the reply tells it
    ("Is it normal that I can't feel the toilet paper? I'm 45.", "saddle_numbness"),  # the question asks its meaning
])
def test_a_reply_that_tells_the_sign_or_a_question_about_its_meaning_leaves_it_present(context, text, finding_id):
    assert context.read_text(text).to_case_findings().get(finding_id) is True


@pytest.mark.parametrize(("text", "expected"), [
    # a short label and its answer after a dash, as notes and triage lists are typed: a yes is read, a no is
    # asked (it may start a statement: "Numb down below - no, it's not from sitting"; a correction may follow: "Numb
    # bum - no. Actually yes a bit"; and the label may not ask the sign: "Bladder working - no")
    ("Fever - none.", {"fever": None}),
    ("Numb bum - no. Actually yes a bit since yesterday.", {"saddle_numbness": None}),
    ("Bladder working - no.", {"bladder_dysfunction": None}),
    ("Any fever - none that I know of.", {"fever": None}),  # was read present: the reply was no known answer
    ("Any fever? None that I know of.", {"fever": False}),
    # "none of those" answers the list in its paragraph, not another's advice in the paragraph before, unless it names
    # the list it answers
    ("My podiatrist says a black toe or a sore that won't heal means ring her the same day.\n\nGP gave me a card: numb "
     "bum, can't pee = A&E. I've got none of those.", {"saddle_numbness": False, "foot_sore_not_healing": None}),
    ("The physio gave me a list: numb bum, weakness in both legs - any of those, go to A&E.\n\nI kept walking. I read "
     "the list again tonight and I've got none of them.", {"saddle_numbness": False, "bilateral_leg_weakness": False}),
    # the time before a sudden onset is no resolution ("it was fine when I went to bed")
    ("Came on out of nowhere, it was fine when I went to bed.", {"sudden_onset": True}),
    ("Bowel or bladder changes - N", {"bowel_dysfunction": None, "bladder_dysfunction": None}),
    ("Numb bum - yes", {"saddle_numbness": True}),
    ("Bladder - yes fine", {"bladder_dysfunction": False}),  # "fine" says it, not the yes
    # a dash that does not open an answer
    ("I've been numb down below since Monday - nothing like that before.", {"saddle_numbness": True}),
    ("Fever since last night - no idea why.", {"fever": True}),
    # a symptom checker's chat and a clinic note's "denied" (NHS 111 online; GIRFT CES pathway)
    ("Bot: Do you have a fever? Me: no", {"fever": False}),
    ("Bot: Any numbness between your legs? Me: yeah a bit", {"saddle_numbness": True}),
    ("Saddle anaesthesia: denied.", {"saddle_numbness": False}),
    ("Any change in bladder or bowel control? No.", {"bladder_dysfunction": False, "bowel_dysfunction": False}),
    # an examination's result is not a yes or no
    ("Perianal sensation: absent", {"saddle_numbness": None, "perianal_sensory_loss_or_reduced_anal_tone": True}),
])
def test_a_label_answered_after_a_dash_or_in_a_chat(extract, text, expected):
    got = answers(extract, text)
    assert {k: got.get(k) for k in expected} == expected


@pytest.mark.parametrize(("text", "finding_id", "state"), [
    # a question on its own line is not a statement, whatever free text follows (GIRFT CES card's questions;
    # NHS 111 online); a "yes" that goes on after a speaker's label is a yes
    ("Q: Any numbness around your back passage or genitals?\nA: it's felt a bit odd but I've got piles",
     "saddle_numbness", "asked"),
    ("Q: Any numbness around your back passage or genitals?\nA: maybe? not sure", "saddle_numbness", "asked"),
    ("Bot: Is the foot colder or paler than the other one?\nUser: yes it's white and cold as ice", "cold_pale_foot", True),
    ("Is your foot cold and white? yes it's like ice", "cold_pale_foot", True),
    # "fine" or "normal" says all is as usual however the question is put; "no change" may say a sign is still there
    ("Q: Bladder?\nA: fine", "bladder_dysfunction", False),
    ("Bot: Any change in feeling when you wipe after the toilet?\nMe: no, all normal", "saddle_numbness", False),
    ("Can you feel when you wipe? Normal", "saddle_numbness", None),  # settled: not asked
    ("Psoriasis? No. Back? Fine.", "low_back_pain", False),
    ("Numb bum? No change, it's been numb for a week", "saddle_numbness", True),
    ("Numb down below? fine but I can't feel when I wipe", "saddle_numbness", True),
])
def test_a_question_on_its_own_line_takes_only_a_reply(context, text, finding_id, state):
    intake = context.read_text(text)
    read = intake.to_case_findings().get(finding_id)
    assert ("asked" if read is None and finding_id in context.to_confirm(intake) else read) == state


@pytest.mark.parametrize(("text", "finding_id"), [
    # a "no" to working as normal is the warning sign (GIRFT CES card: "Can you feel when you wipe?")
    ("Can you feel when you wipe? No.", "saddle_numbness"),
    ("Any feeling down below? Nothing.", "saddle_numbness"),
    ("Is your pee normal? Nah.", "bladder_dysfunction"),
    ("Bladder and bowels normal? Yes.", "bladder_dysfunction"),
    ("Perianal sensation: nil", "saddle_numbness"),
    ("Bladder control: none", "bladder_dysfunction"),
])
def test_a_question_about_working_as_normal_leaves_its_sign_asked(context, text, finding_id):
    intake = context.read_text(text)
    assert finding_id not in intake.to_case_findings()
    assert finding_id in context.to_confirm(intake)


# written for someone else, as NHS 111 online and GP online consultation forms allow ("answering for
# someone else"); the relative is the patient. A relative's story beside the writer's own complaint
# stays family history
@pytest.mark.parametrize(
    ("text", "expected", "age", "sex"),
    [
        ("My nan (86) has a sore on the back of her heel and it's gone black.",
         {"skin_black_purple_or_blistering": True, "puncture_wound_or_ulcer": True}, 86, "female"),
        ("Dad's 90, very confused today.", {"new_confusion": True}, 90, "male"),
        # the age first in the relative's brackets, or after what they have
        ("My mother (81, on insulin for years) has been vomiting and is muddled tonight.",
         {"diabetes": True, "new_confusion": True}, 81, "female"),
        ("Mum's diabetic and 76. The ulcer under her left heel has been there since Easter.",
         {"diabetes": True}, 76, "female"),
        ("Asking for my husband: he's suddenly confused and his foot is cold and white.",
         {"new_confusion": True, "cold_pale_foot": True}, None, "male"),
        ("My brother is 52 and went numb down below. I've got sore heels.", {"saddle_numbness": None}, None, None),
        ("My husband asks me to write. He is 52 and can't feel when he needs to pee.",
         {"altered_urinary_sensation": True}, 52, "male"),
        ("Parent here - my 17 yo was put on ciprofloxacin last week.", {"quinolone_antibiotic_recent": True}, 17, None),
        ("Sir, my father is sugar patient since 15 years. One week back he got small cut on his heel. Age 66.",
         {"diabetes": True, "puncture_wound_or_ulcer": True}, 66, "male"),
        ("My sister had a numb bottom after her op. I've had sciatica in my right leg.", {"saddle_numbness": None},
         None, None),
        # openings of letters, notes and messages (NHS online consultation forms; carers' notes)
        ("About my mum, 83. Since Tuesday both her legs have gone from under her.", {"bilateral_leg_weakness": True},
         83, "female"),
        ("Dad (81, type 2) - for five days he's been weeing non-stop.", {"thirst_or_passing_much_urine": True}, 81, "male"),
        ("Our son, nine, plays rugby. His heels hurt at the back.", {"pain_back_of_heel": True}, 9, "male"),
        ("My father 80 years old, he have a wound on the heel.", {"puncture_wound_or_ulcer": True}, 80, "male"),
        ("Can I get an appointment for my son please, he's 9\nhe's waking in the night asking for drinks",
         {"thirst_or_passing_much_urine": True}, 9, "male"),
        ("Retired copper, 64. Tender under both heels every morning.",
         {"pain_under_heel": {"present": True, "side": "both"}}, 64, None),
        ("Dad of three, 44. A bang at the back of my right ankle.", {}, 44, "male"),
        ("Mr Lukas Nowak, 45, admitted with acute LBP.", {"low_back_pain": True}, 45, "male"),
        ("I am 58 years lady from Chennai.", {}, 58, "female"),
        ("Pain, 10. Under my heel.", {}, None, None),
        ("Sore heels, 10.", {}, None, None),
        ("Morning stiffness, 30.", {}, None, None),
        ("My husband 3 years ago had a stroke. My heel hurts.", {}, None, None),
        ("Mr Smith Bed 14, heel pain.", {}, None, "male"),
        ("Diabetic, 66. The ache is in my heel pad.", {}, 66, None),
        # a diagnosis opening a text that goes on about the relative's body (NHS diabetic foot pages, as carers write)
        ("My uncle has diabetes. His foot is going black and he has a sore on his heel.", {"diabetes": True}, None,
         "male"),
        ("My brother's diabetic and keeps getting ulcers on his feet. I haven't got diabetes myself.",
         {"diabetes": False}, None, None),
    ],
)
def test_a_text_written_for_a_relative_is_about_the_patient(context, text, expected, age, sex):
    intake = context.read_text(text)
    got = answers(context.read_text, text)
    assert ({k: got.get(k) for k in expected}, intake.age, intake.sex) == (expected, age, sex)


# a sign the next sentence says has gone, or a belief since corrected, is asked, never counted or dropped; a next
# sentence that says it has changed, or goes on, leaves it counted (NHS acute limb ischaemia; Raynaud's pages)
@pytest.mark.parametrize(("text", "finding_id", "state"), [
    ("My foot went white and cold on Sunday. It came back pink after ten minutes and has been fine since.",
     "cold_pale_foot", "asked"),
    ("I had a temperature of 39 on Monday. It's gone now.", "fever", "asked"),
    ("My legs gave way on Tuesday. Update: they're fine now.", "bilateral_leg_weakness", "asked"),
    ("I thought my foot had gone cold but it was just the weather.", "cold_pale_foot", "asked"),
    ("My foot went cold. It's gone white now too.", "cold_pale_foot", True),
    ("My bum is numb. It's getting worse.", "saddle_numbness", True),
    ("I can't pee. It's been like that since Monday.", "bladder_dysfunction", True),
    ("I thought it was plantar fasciitis but now my bum is numb.", "saddle_numbness", True),
])
def test_a_sign_the_next_sentence_says_has_gone_is_asked(context, text, finding_id, state):
    _assert_read_as(context, text, finding_id, state)


def _assert_read_as(context, text, finding_id, state):
    """`state` is "asked" (not counted, asked first) or the polarity the finding is read with."""
    intake = context.read_text(text)
    found = intake.to_case_findings().get(finding_id)
    if state == "asked":
        assert found is None and finding_id in context.to_confirm(intake)
    else:
        assert found is not None and polarity(found) is state


# a partner, friend or "he" beside the writer's own complaint: what they have is asked, never counted as the
# writer's and never dropped; told alone, or by a writer who is the last person named, it may be the patient's
@pytest.mark.parametrize(("text", "finding_id", "state"), [
    ("My husband has sciatica down both legs and can't feel his bum. I just have heel pain.", "saddle_numbness", "asked"),
    ("My husband's legs keep giving way. Mine are fine, it's my heel that hurts.", "bilateral_leg_weakness", "asked"),
    ("Both kids have had a fever this week, I'm fine apart from my heel.", "fever", "asked"),
    ("I've got heel pain. My friend had sciatica in both legs.", "new_bilateral_or_alternating_sciatica", "asked"),
    ("I'm writing about me not my husband: he has numbness down below, I have sore heels.", "saddle_numbness",
     "asked"),
    ("My husband can't feel his bum and his legs are weak, he's 60 and has sore heels.", "saddle_numbness", True),
    ("My son is 12. He can't feel his bum and he has heel pain.", "saddle_numbness", True),
    ("My wife noticed my foot was white and cold.", "cold_pale_foot", True),
    ("I can't get out of the bath unless my husband hauls me, both legs just won't push, and today I couldn't get up "
     "off the loo either. My back aches.", "bilateral_leg_weakness", True),
])
def test_what_someone_else_has_beside_the_writers_complaint_is_asked(context, text, finding_id, state):
    _assert_read_as(context, text, finding_id, state)


ANSWERS = {"no": ["No", "no", "None", "Nope", "Never", "No - ", "No, ", "Nothing like that", "Can't say I have"], "yes": ["Yes", "yes", "Yes - ", "Y", "Yeah, "],
           "unknown": ["N/A", "Not sure", "don't know"]}


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sign=st.sampled_from(WARNING_SIGNS_SAID_PLAINLY), kind=st.sampled_from(sorted(ANSWERS)), data=st.data(),
       after=st.sampled_from(["", "\n", " ", "\nWhere is the pain? Under my heel"]))
def test_a_warning_sign_asked_as_a_question_takes_the_answer_and_it_stays_there(context, sign, kind, data, after):
    sentence, finding_id = sign
    answer = data.draw(st.sampled_from(ANSWERS[kind]))
    intake = context.read_text(f"{sentence.rstrip('.')}? {answer}{after}")
    got = answers(context.read_text, intake.text).get(finding_id)
    if kind == "no" and got is None:  # a bare label naming two things ("... erection since my back went? No") is asked
        assert finding_id in context.to_confirm(intake)
    else:
        assert got is {"yes": True, "no": False, "unknown": None}[kind]
    if kind == "unknown":  # an undecided warning sign is asked, never dropped
        assert finding_id in context.to_confirm(intake)
    # the answer reaches no further than its question
    assert answers(context.read_text, f"Any fever? {answer}\n{sentence}").get(finding_id) is True


@pytest.mark.parametrize("text", [
    "The nurse said to watch for a fever or redness spreading up the leg.",
    "My podiatrist says a black toe means ring her the same day.",
])
def test_advice_about_what_to_watch_for_is_asked_not_asserted(extract, text):
    intake = extract(text)
    present = {f for f, v in intake.to_case_findings().items() if v is True}
    assert not present & {"fever", "rapidly_spreading_redness", "skin_black_purple_or_blistering"}
    assert heelpath.load().to_confirm(intake)  # a question, never a silent drop


# safety-netting advice as the NHS, the GIRFT CES card and sepsis cards word it, with the writer's reply
ADVICE = ["The physio said go to A&E if {}", "My GP said if {} I should call 999", "The leaflet says go to A&E if {}",
          "The nurse gave me a card: if {}, ring 999"]
CONDITIONS = [("your bum goes numb", "saddle_numbness"), ("you can't pee", "bladder_dysfunction"),
              ("both legs go weak", "bilateral_leg_weakness"), ("your foot goes cold and white", "cold_pale_foot"),
              ("you get a fever", "fever"), ("you get confused", "new_confusion")]
REPLIES = [(" - I haven't", ", it's just my heel."), (". I haven't", "."), (". I've got none of those", ", just my heel."),
           (". Thankfully none of these", "."), (". None of that", " - just my heel."),
           (" but I havent got anything like that", " just pain under my heel."), (". It hasn't", ", thankfully."),
           (". None of those", "."), (". Neither of those has happened", " - just my heel."),
           (". I've had none of that", "."), (". Neither yet", ".")]


@pytest.mark.parametrize(("text", "expected"), [
    # conditions joined by "or", with or without another "if" (NHS and UK Sepsis Trust safety-netting)
    ("Ring the hotline if my temperature is 38 or above, if I'm shivering, or if anything goes red, hot and swollen.",
     {"heel_red_hot_swollen": None, "fever": None}),
    ("Like if my foot went cold and white, or I got a fever with it? Neither of those has happened.",
     {"cold_pale_foot": False, "fever": False}),
    ("see GP if not settling or if it starts hurting at night", {"pain_at_rest_or_night": None}),
    # a list inside the first condition ("red and hot") does not end the conditions at the "I" after "or"
    ("The podiatrist warned me to ring if either heel went red and hot or I got a fever.",
     {"heel_red_hot_swollen": None, "fever": None}),
    ("It hurts when I walk and my heel is red, hot and swollen.", {"heel_red_hot_swollen": True}),
])
def test_conditions_joined_by_or_are_all_conditions(extract, text, expected):
    found = answers(extract, text)
    assert {k: found.get(k) for k in expected} == expected


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(advice=st.sampled_from(ADVICE), condition=st.sampled_from(CONDITIONS), reply=st.sampled_from(REPLIES),
       fact=st.sampled_from(WARNING_SIGNS_SAID_PLAINLY))
def test_a_no_to_advice_denies_its_conditions_and_nothing_stated_as_fact(context, advice, condition, reply, fact):
    words, finding_id = condition
    intake = context.read_text(advice.format(words) + "".join(reply))
    assert intake.to_case_findings().get(finding_id) is False
    assert finding_id not in context.to_confirm(intake)
    # a warning sign stated before the advice is the writer's own: the reply does not reach it
    sentence, fact_id = fact
    if fact_id != finding_id:
        text = f"{sentence.rstrip('.')} and {advice[0].lower()}{advice[1:].format(words)}{''.join(reply)}"
        said = answers(context.read_text, text).get(fact_id)
        assert said is True or (isinstance(said, dict) and said["present"] is True)


@pytest.mark.parametrize(("text", "signs", "expected"), [
    # a warning-signs sheet's list is conditions, answered by the reply after it; a denial in it is the writer's
    ("coach made everyone fill in a red flags sheet at preseason - numb bum, peeing problems, both legs weak. "
     "none of those for me lol.", ["saddle_numbness", "bilateral_leg_weakness"], False),
    ("We went through the warning-signs card the physio gave her: no numbness between her legs, no trouble weeing.",
     ["saddle_numbness", "bladder_dysfunction"], False),
    ("I got a warning signs card after my op. My bum has gone numb.", ["saddle_numbness"], True),
    # what to go to hospital for is advice (US and NHS cauda equina pages); having gone is a fact
    ("The doc gave me a printout: 'Go to the ER for numbness in the groin or weakness in both legs.'",
     ["saddle_numbness", "bilateral_leg_weakness"], None),
    ("I had to go to the ER for numbness in my groin.", ["saddle_numbness"], True),
])
def test_a_list_of_warning_signs_on_a_sheet_or_printout_is_not_the_writers(context, text, signs, expected):
    intake = context.read_text(text)
    found = intake.to_case_findings()
    for sign in signs:
        assert found.get(sign) is expected, (sign, found.get(sign))
        if expected is None:
            assert sign in context.to_confirm(intake)


# an independent review's sentences (each had been read wrongly by a draft of this release): "P" caught, "A"
# denied, "?" asked first, "-" neither
REVIEWED = [
    # forms typed as text: a checklist without punctuation, tick boxes, a list closed by its denial
    ("fever no numbness down below yes", "saddle_numbness", "P"),
    ("fever no numbness down below yes", "fever", "A"),
    ("no fever yes I have numbness", "numbness", "P"),
    ("[ ] fever [ ] numbness [ ] bladder problems [x] heel pain", "fever", "A"),
    ("[x] fever [ ] numbness [ ] bladder problems", "fever", "P"),
    ("☐ Loss of bladder control ☐ Fever ☐ Numbness between legs ☑ None of the above", "fever", "A"),
    ("Red flags checked: fever, saddle anaesthesia, bladder, bowel - all negative. Heel pain 10 weeks.", "saddle_numbness",
     "A"),
    ("Had breast cancer in 2015, all clear since. This heel pain is only there when I'm on my feet.", "history_of_cancer",
     "P"),
    ("fever none", "fever", "A"),
    # dictation's "know" for "no" (NHS sepsis page's signs, dictated)
    ("heel pain for six weeks comma know fever comma know problems with my bladder full stop", "fever", "A"),
    # a reading told bare (NHS fever pages: 38 °C or above), and what is not one
    ("Heel pain. 39.1 this morning.", "fever", "P"),
    ("Heel red + hot + swollen. 38.7.", "fever", "P"),
    ("it was 38.8 when I checked at 6am", "fever", "P"),
    ("102 degrees this morning, heel throbbing", "fever", "P"),
    ("Temp 37.9 (100.2°F), heel sore", "fever", "?"),
    ("I'm 38.5 weeks pregnant and my heels ache", "fever", "-"),
    ("It was 102 degrees yesterday in Phoenix and I walked miles", "fever", "-"),
    # someone else's sign beside a complaint that opens the text, or told after the sign
    ("Heel pain for weeks. Husband has a fever.", "fever", "?"),
    ("Heel pain for weeks. Hubby has temp 38.5", "fever", "?"),
    ("Temp of 39 in my 4 year old last night and my heel is sore", "fever", "?"),
    # an episode closed at its sentence's end is past; a trigger infection is not closed by it
    ("Had a fever two weeks ago with a cold, all gone now, heel pain since the spring", "fever", "?"),
    ("I was confused for a day when I had a UTI in March, fine now", "recent_gut_or_urinary_infection", "P"),
    # a sudden onset told as what was felt (NHS Achilles tendon rupture page)
    ("I was walking along and it felt like someone had hit the back of my ankle with a cricket bat", "sudden_onset", "P"),
    ("Felt a bang at the back of my ankle in the middle of a tennis serve", "sudden_onset", "P"),
    ("In the space of a second it went from fine to agony", "sudden_onset", "P"),
    ("The hospital page I found says you'd hear a snap or a crack. Mine came on gradually.", "sudden_onset", "A"),
    # a warning sign long-standing (asked, not counted as new), and warning-sign words in other senses
    ("Erectile dysfunction for ten years, on viagra, stable", "new_sexual_dysfunction", "?"),
    ("Leaking urine since I had the kids 20 years ago, nothing new", "bladder_dysfunction", "?"),
    ("my foot went cold and white an hour ago, I've had diabetes for ten years", "cold_pale_foot", "P"),
    ("Glandular fever as a teenager, heel pain now", "fever", "?"),
    ("I'm a Black woman and the skin on my heels is very dry and cracked", "skin_black_purple_or_blistering", "?"),
    ("Red hot chilli peppers concert, stood all night, heel sore", "heel_red_hot_swollen", "-"),
    ("The pain suddenly stops when I sit down", "sudden_onset", "-"),
    ("The doctor's advice confused me, is it plantar fasciitis or not?", "new_confusion", "?"),
    # an ability or a view denied may tell the sign (NHS urinary retention; GIRFT CES card): asked, or read as said
    ("Not able to pass urine since last night", "bladder_dysfunction", "P"),
    ("I'm not able to empty my bladder fully", "bladder_dysfunction", "P"),
    ("I don't think I'm emptying my bladder properly since Tuesday", "bladder_dysfunction", "?"),
    ("can't quench my thirst and peeing every hour", "thirst_or_passing_much_urine", "?"),
    ("My partner and I haven't been able to have sex because I've got no feeling down there", "new_sexual_dysfunction",
     "?"),
    ("I wouldn't say my legs are weak, exactly, but they both gave way on the stairs yesterday",
     "bilateral_leg_weakness", "?"),
    ("I haven't had any bladder trouble", "bladder_dysfunction", "A"),
    # a card's list after its label, and formal or other-worded conditions (GIRFT CES card, NHS sepsis page): asked
    ("Signs of cauda equina: saddle anaesthesia, retention, incontinence. Reading this has scared me, but my heel is "
     "just sore.", "saddle_numbness", "?"),
    ("Danger signs are: feeling confused; being very thirsty; passing lots of urine.", "new_confusion", "?"),
    ("The NHS page says ring 999 for: sciatica in both legs, both legs weak, foot drop.", "bilateral_leg_weakness", "?"),
    ("Physio's advice: seek urgent help for confusion, extreme thirst, weeing a lot or a fever.", "fever", "?"),
    ("Symptoms: numbness in my bum since Tuesday, heel pain for a month.", "saddle_numbness", "P"),
    ("Had I a fever, I would have said so.", "fever", "?"),
    ("Unless I get a temperature, they said I can manage it at home.", "fever", "?"),
    ("Should the sciatica spread to both legs I'll phone 111. Just the one leg for now.",
     "new_bilateral_or_alternating_sciatica", "?"),
    ("The 111 nurse asked: any fever? any confusion? any numbness between the legs? No to all.", "fever", "A"),
    # a past told from a sentence's opening (whole sentence, until now)
    ("Years ago, after a bad fall, I couldn't feel my bottom for a week and it all came back.", "saddle_numbness", "?"),
    ("Long time ago, at uni, I had a kidney stone, couldn't pee properly and had a fever.", "fever", "?"),
    # Scots "nae"
    ("Ma heel's been sore for weeks, nae fever, nae numbness", "fever", "A"),
    # a sign told as what it means, read or heard (NHS sepsis page, GIRFT CES card): asked, not the writer's
    ("I read online that numbness in the saddle area is an emergency.", "saddle_numbness", "?"),
    ("Dr Google says sepsis can cause confusion and a fever, should I be worried? I feel fine.", "fever", "?"),
    ("the doctor's note says confusion would mean sepsis and to ring 999", "new_confusion", "?"),
    ("I have numbness in the saddle area which is an emergency apparently", "saddle_numbness", "P"),
    # another's sign beside the writer's own complaint told as "mine", "like me", "I'm the one with"
    ("My friend had cauda equina and lost feeling in her bum, I'm worried but mine is just heel pain", "saddle_numbness", "?"),
    ("He keeps tripping over his own feet - my son, he's 3. I'm the one with heel pain", "foot_drop_or_tripping", "?"),
    # warning-sign words in another sense
    ("I have hay fever and my heel hurts", "fever", "-"),
    ("I've been drinking Fever-Tree tonic with my gin to relax, heel still hurts", "fever", "-"),
    ("cabin fever from being stuck indoors with this heel", "fever", "-"),
    ("it's all very confusing reading about plantar fasciitis online", "new_confusion", "-"),
    ("every trip up and down the stairs is painful for my heel", "foot_drop_or_tripping", "-"),
    ("I suddenly realised I've had this heel pain for over a year", "sudden_onset", "-"),
    ("Suddenly my running club decided to do hill sprints", "sudden_onset", "-"),
    ("I'm always thirsty for a pint after football", "thirst_or_passing_much_urine", "?"),
    ("cold feet about the wedding! but the real issue is the heel", "cold_pale_foot", "?"),
    ("I have hay fever and a fever of 38.5", "fever", "P"),
    ("Suddenly my foot went cold", "sudden_onset", "P"),
    # an episode closed by a later sentence ("Since then ... normal"): its warning signs are asked, a treatment stays
    ("Sunday I went straight down - my knees buckled. It happened again at 4am. On Monday the chiropractor worked on it."
     " Since then, touch wood, my legs have been completely normal.", "bilateral_leg_weakness", "?"),
    ("She was only dribbling. The GP prescribed ciprofloxacin the same afternoon. By Thursday she was brighter, and "
     "since then she's been her normal self.", "quinolone_antibiotic_recent", "P"),
    # someone's guess at what it is
    ("My husband thinks it's 'foot drop' because he read about it. My feet lift fine.", "foot_drop_or_tripping", "?"),
    # warning signs in words the rules did not know (GIRFT CES card, NHS sepsis, foot drop and Achilles rupture pages)
    ("I'm losing strength in that leg, it's getting noticeably worse", "progressive_weakness", "P"),
    ("no strength in either leg since I hurt my back", "bilateral_leg_weakness", "P"),
    ("My leg dey weak both side, I nearly fall for road", "bilateral_leg_weakness", "P"),
    ("The leg went from under me twice today and now the other one's gone weak as well", "bilateral_leg_weakness", "P"),
    ("My right leg and then my left leg keep buckling when I walk to the car", "bilateral_leg_weakness", "P"),
    ("I no fit piss since morning and my waist dey pain me well well", "bladder_dysfunction", "P"),
    ("my head feels foggy and I can't think straight, it's new, along with a fever", "new_confusion", "P"),
    ("i feel really spaced out and dopey and keep nodding off, not like me", "new_confusion", "?"),
    ("It started like being shot in the back of the heel while I was lunging for a ball", "sudden_onset", "P"),
    ("I'm going to the loo constantly and feel dehydrated", "thirst_or_passing_much_urine", "P"),
    ("I'm awfy drouthy aw the time", "thirst_or_passing_much_urine", "P"),
    ("My foot makes a flapping sound on the pavement when I walk now", "foot_drop_or_tripping", "P"),
    ("the nerve pain alternates, left buttock and leg then right buttock and leg", "new_bilateral_or_alternating_sciatica",
     "P"),
    # a question about working as normal or about what happens: its "no", "nothing" or "nah" is asked, never a denial
    ("How does it feel when you wipe? nothing", "saddle_numbness", "?"),
    ("Been able to pee? nah", "bladder_dysfunction", "?"),
    ("Bot: Been able to open your bowels? Patient: no", "bowel_dysfunction", "?"),
    ("Have you been able to pass urine today? nah", "bladder_dysfunction", "?"),
    ("Wee: none, haven't been since last night", "bladder_dysfunction", "?"),
    # a question naming the sign takes its answer
    ("Do you feel hot and shivery? Yes", "fever", "P"),
    ("Is he feeling confused? yes", "new_confusion", "P"),
    ("Is the pain far worse than normal for an injury like this? yes", "pain_out_of_proportion", "P"),
    ("I can't tell when I need to pee? No", "altered_urinary_sensation", "A"),
    ("Fever? yeah nah", "fever", "A"),
    # an answer that picks among a listed question's signs leaves them all asked
    ("Any of the following?\n- numbness around your bottom\n- weakness in both legs\nyes just the first one",
     "bilateral_leg_weakness", "?"),
    # a dash label's no, and a reply followed by a contrast, are asked
    ("Numb down below - no", "saddle_numbness", "?"),
    ("Peeing - no, can't go at all since yesterday", "bladder_dysfunction", "?"),
    ("Bladder: denies, though he's been wetting the bed", "bladder_dysfunction", "P"),
    ("The nurse said ring 999 if my foot goes cold and white. Not yet, it's just a bit paler than the other",
     "cold_pale_foot", "?"),
    # a normal reading never outweighs a raised one
    ("Temperature is 37 in the morning then 38.9 by the evening", "fever", "P"),
    ("temp 98.6 earlier now 101.5", "fever", "P"),
    ("Temperature was normal this morning, 39.5 now", "fever", "P"),
    # "there" is a place; a subject without a verb starts no statement
    ("Bum's fine, no numbness there or any problems with my bladder", "bladder_dysfunction", "A"),
    ("No pain at all my legs or numbness round my bum", "saddle_numbness", "A"),
    # "without" after an unrelated "can't" still denies
    ("I can't believe I've gone 3 weeks without any fever or chills", "fever", "A"),
    ("I can't put weight on it without pain but I'm without any numbness in my legs or bum", "saddle_numbness", "A"),
    # "fine since" after a negation, "otherwise all back to normal", "it has disappeared" are not a resolution
    ("My foot went cold and white on Sunday and it hasn't been fine since", "cold_pale_foot", "P"),
    ("cant feel my bum when i wipe and both legs weak otherwise all back to normal", "saddle_numbness", "P"),
    ("numb round my bum and peeing is weird the pain in my back it's back to normal", "saddle_numbness", "P"),
    ("I've lost all feeling down below, it has disappeared completely", "saddle_numbness", "P"),
    # being sent to hospital, and the writer's own words after a warning-signs list, are facts
    ("My wife made me go to A&E for the numbness round my bum and I can't pee properly", "saddle_numbness", "P"),
    ("The nurse said go to the ER for a scan, my left foot is cold and pale", "cold_pale_foot", "P"),
    ("My husband says go to hospital now with the fever of 39.5 and confusion", "new_confusion", "P"),
    ("Physio went through the red flags checklist with me and I've got the numb bum and can't wee properly",
     "saddle_numbness", "P"),
    ("Red flags form: saddle numbness yes, bladder no, bowel no", "saddle_numbness", "P"),
    # words that are not warning signs
    ("I really messed my back up lifting a wardrobe and now my heel hurts too", "bowel_dysfunction", "-"),
    ("We tried insoles, felt nothing", "new_sexual_dysfunction", "-"),
    ("Our new physio doesn't know my name yet but she's great", "new_confusion", "-"),
    ("My foot has been acting funny all week, heel sore when I walk", "new_confusion", "-"),
    ("Got some purple marks on my calf from my compression socks", "skin_black_purple_or_blistering", "?"),
    ("My feet are always colder than my other half's", "cold_pale_foot", "?"),
    ("My left foot is colder than the other because I've been icing it", "cold_pale_foot", "?"),
    ("I get hot and shaking when I have a panic attack", "fever", "?"),
    # a second review: a normal state denied or qualified is asked, never a denial
    ("She hasn't got normal feeling when she wipes", "saddle_numbness", "?"),
    ("I can feel when I wipe but not properly, it's like cotton wool", "saddle_numbness", "?"),
    ("Pt reports normal sensation when she wipes, but reduced over the left buttock", "saddle_numbness", "?"),
    ("She has normal feeling when she wipes", "saddle_numbness", "A"),
    # "gone by" negated, or said of the feeling, is no resolution; a patient's own "Would a ...?" is no hypothesis
    ("The numbness in my bum hasn't gone by the next day", "saddle_numbness", "P"),
    ("Would a numb bum be serious? Mine's been numb since Monday", "saddle_numbness", "P"),
    # denials inside the new wording stay denials
    ("I can no longer feel any numbness in my bum", "saddle_numbness", "A"),
    ("I can't feel any numbness in my bum", "saddle_numbness", "A"),
    ("Nurse drew round the redness, it hasn't gone past the line", "rapidly_spreading_redness", "A"),
    ("The nurse drew round the redness with a pen and put a dressing over it", "rapidly_spreading_redness", "?"),
    ("My cut doesn't hurt more than when I broke my wrist, nowhere near", "pain_out_of_proportion", "-"),
    # everyday idioms are not warning signs
    ("I keep seeing things on Facebook about heel spurs", "new_confusion", "-"),
    ("I didn't know she was in so much pain", "new_confusion", "-"),
    ("I was talking to a mate who died his hair blue", "new_confusion", "-"),
    ("The bath water was burning hot", "fever", "-"),
    ("My athlete's foot won't clear up", "foot_drop_or_tripping", "-"),
    ("My big toe catches on the duvet because the nail is ingrown", "foot_drop_or_tripping", "-"),
    ("I'm constantly moving from one leg to the other at work", "new_bilateral_or_alternating_sciatica", "-"),
    ("The physio said keep drinking water", "thirst_or_passing_much_urine", "-"),
    ("I didn't know I needed a poo sample", "bowel_dysfunction", "?"),
    ("My left foot feels like it belongs to someone else", "saddle_numbness", "-"),
    # a relative who reports the writer's own sign does not make it theirs
    ("My mum says my foot looks cold and white.", "cold_pale_foot", "P"),
    ("My partner noticed my foot is cold and white.", "cold_pale_foot", "P"),
    # a third review: one-line answers read only a yes (a no may name a function, run into the next label or be
    # followed by its exception), and never deny a sign told as present beside them
    ("Temp n, numb bum y bladder n", "saddle_numbness", "P"),
    ("feel toilet paper n, fever n", "saddle_numbness", "?"),
    ("know when bladder full n, fever n", "altered_urinary_sensation", "?"),
    ("bladder n - well a few accidents, bowels n", "bladder_dysfunction", "?"),
    ("fever n - 38.4 last night, numbness n", "fever", "P"),
    ("fever n, numbness y - toes only, bladder ok", "fever", "?"),
    # advice that follows the writer's own fact ("which means straight back to A&E") leaves the fact theirs
    ("I can't feel my bum properly which I know means straight back to A&E. Not yet, the kids are asleep.",
     "saddle_numbness", "P"),
    ("I've wet myself twice which means straight back in. I haven't, can't face the wait.", "bladder_dysfunction", "P"),
    # a normal state beside an exception or a change is no denial
    ("The feeling round my back passage is normal apart from one numb patch", "saddle_numbness", "?"),
    ("Her left foot is warm and a normal pink, the right one is pale and cold.", "cold_pale_foot", "P"),
    ("Her foot was warm and pink this morning, now it's cold and white.", "cold_pale_foot", "P"),
    # a past episode, a doubt or someone's view covers its own words, not a new sign told after them
    ("Back in 2016 I had cellulitis in the same leg and now it's red, hot and spreading up past my ankle.",
     "rapidly_spreading_redness", "P"),
    ("I might be imagining it but my left foot has gone white and cold.", "cold_pale_foot", "P"),
    ("My wife reckons I'm imagining it but I've wet myself twice this week.", "bladder_dysfunction", "P"),
    # everyday words
    ("My son gulps from his water bottle at football.", "thirst_or_passing_much_urine", "?"),  # asked, never counted
    ("Drunk two litres of water today like the physio said.", "thirst_or_passing_much_urine", "-"),
    ("My legs haven't got any weaker, the heel hurts a bit more each day.", "progressive_weakness", "?"),
    ("I went for a walk with my husband and felt nothing in the heel.", "new_sexual_dysfunction", "-"),
    ("The scar on my left heel looks paler than the other side.", "cold_pale_foot", "-"),
    ("It's not paler than the other foot.", "cold_pale_foot", "-"),
    ("Apologies, I'm losing my thread here - long message.", "new_confusion", "-"),
    ("My daughter has no idea where she is going for uni.", "new_confusion", "-"),
    ("The dog keeps wetting the floor and doesn't seem to know it's happening.", "altered_urinary_sensation", "-"),
    ("The redness has stayed put, never crept up my leg.", "rapidly_spreading_redness", "?"),
    # older problems the third review found: a "no" to a function named without a pronoun is asked, never a denial
    ("Empty bladder fully? No", "bladder_dysfunction", "?"),
    ("Know when bladder full: no", "altered_urinary_sensation", "?"),
    ("passing water: no", "bladder_dysfunction", "?"),
    ("bowels opened: nil", "bowel_dysfunction", "?"),
    ("Feel toilet paper? No", "saddle_numbness", "?"),
    ("Lift foot up: no", "foot_drop_or_tripping", "?"),
    ("Get erection: no", "new_sexual_dysfunction", "?"),
    ("Get any fever? no", "fever", "A"),
    ("I've been wetting the bed since my back went", "bladder_dysfunction", "P"),
    # ...and a question naming the sign itself, with such a word, takes its answer
    ("Opened bowels without knowing? Yes", "bowel_dysfunction", "P"),
    ("Feel like your legs are giving way? Yes", "bilateral_leg_weakness", "P"),
    ("Knows what day it is? No", "new_confusion", "?"),
    # the fourth review (this release's change): a clause after "and", "but", "with" or a dash is its own, unless
    # it refers back; a yes that goes on may not be a yes now
    ("My bum is numb but I feel fine.", "saddle_numbness", "P"),
    ("I can't pee and back pain has settled.", "bladder_dysfunction", "P"),
    ("Losing weight without trying and bloods are normal.", "unexplained_weight_loss", "P"),
    ("Right foot is cold and pale but left is normal.", "cold_pale_foot", "P"),
    ("Right foot is cold and pale but that one is fine.", "cold_pale_foot", "P"),
    ("Right foot is cold and pale but it's fine on the left.", "cold_pale_foot", "P"),
    ("Cold pale right foot with left normal.", "cold_pale_foot", "P"),
    ("My bum went numb last week and it has cleared up now.", "saddle_numbness", "A"),
    ("I'm writing for my mum who is 84. She doesn't know where she is and was fine this morning.", "new_confusion", "P"),
    ("My legs keep giving way does that sound normal to you?", "bilateral_leg_weakness", "P"),
    ("No fever plus numb bum when I wipe.", "saddle_numbness", "P"),
    ("No fever + numb bum.", "saddle_numbness", "P"),
    ("I can't stand up w/o my legs buckling.", "bilateral_leg_weakness", "P"),
    ("No fever, temperature 39.4 last night.", "fever", "P"),
    ("My bladder is fine until I stand up then I leak.", "bladder_dysfunction", "?"),
    ("No problems with my bladder, the bladder won't empty.", "bladder_dysfunction", "P"),
    ("The pain wakes me up for a drink.", "pain_at_rest_or_night", "P"),
    ("The pain wakes me up for a drink.", "thirst_or_passing_much_urine", "-"),
    ("A numb bum and the legs going weak means go straight to A&E.", "saddle_numbness", "?"),
    ("Watch out for a fever plus the skin going black.", "skin_black_purple_or_blistering", "?"),
    ("Fever: yes last year with covid", "fever", "?"),
    ("Bladder: yes passing urine normally", "bladder_dysfunction", "A"),
    ("Have you lost weight?\nMe: yes on purpose", "unexplained_weight_loss", "?"),
    ("Any fever, numbness around your bottom, or problems with your bladder?\nUser: yes numbness", "fever", "?"),
    ("Any fever, numbness around your bottom, or problems with your bladder?\nUser: yes numbness", "saddle_numbness", "?"),
    ("Family history of ankylosing spondylitis? Yes, my dad.", "family_history_spa", "P"),
    ("My pee doesn't stop and start.", "bladder_dysfunction", "?"),
    ("I can stand for ages before it starts hurting.", "bladder_dysfunction", "-"),
    ("The pain is going down my right leg now.", "new_bilateral_or_alternating_sciatica", "-"),
    ("My heel pain moves from one side to the other.", "new_bilateral_or_alternating_sciatica", "-"),
    ("I'm worried it'll spread to the other leg too.", "new_bilateral_or_alternating_sciatica", "?"),
    ("My foot's not floppy.", "foot_drop_or_tripping", "?"),
    ("I can't lift my toes up, it hurts too much.", "foot_drop_or_tripping", "?"),
    ("I sit with my foot dangling down off the bed to ease the heel.", "foot_drop_or_tripping", "-"),
    ("I twisted my heel when I met up with friends for a drink.", "thirst_or_passing_much_urine", "-"),
    ("I didn't recognise the kitchen after the builders finished.", "new_confusion", "-"),
    ("I don't have any weakness, the pain is getting worse every day.", "progressive_weakness", "A"),
    ("My bum and my legs have gone numb.", "saddle_numbness", "P"),
    ("The thermometer said 38.9.", "fever", "P"),
    # a red patch told over several messages (NHS cellulitis: redness that spreads quickly)
    ("took a photo of the red patch at breakfast\njust looked again and it's twice the size, creeping up my shin",
     "rapidly_spreading_redness", "P"),
    ("The red patch is not creeping up my leg.", "rapidly_spreading_redness", "?"),
    ("feel shivry and hot", "fever", "P"),
    # the fifth review: a reply that all is well answers the question's own words only, and only when it is the whole
    # reply; a yes that goes on to an ongoing sign is a yes
    ("Bum numb since Tues, legs weak, bladder? fine", "saddle_numbness", "P"),
    ("Bum numb since Tues, legs weak, bladder? fine", "bilateral_leg_weakness", "P"),
    ("Bum numb since Tues, legs weak, bladder? fine", "bladder_dysfunction", "A"),
    ("numb bum since monday bladder? fine", "saddle_numbness", "P"),
    ("I'm wetting myself, bowels? normal", "bladder_dysfunction", "P"),
    ("Both legs keep giving way, anything else? no problems", "bilateral_leg_weakness", "P"),
    ("Bum numb since Tuesday, bladder: fine", "saddle_numbness", "P"),
    ("Any temperature? normal, 39.2 last night", "fever", "P"),
    ("Bladder? fine, just a bit of leaking", "bladder_dysfunction", "?"),
    ("Bladder?\nfine\nbut I have leaked twice", "bladder_dysfunction", "?"),
    ("Foot colour? normal. It's gone white and cold", "cold_pale_foot", "?"),
    ("Bladder? Fine. Bowels? Fine.", "bowel_dysfunction", "A"),
    ("Trouble peeing? yes since last night. Not wet myself.", "bladder_dysfunction", "P"),
    ("Numb bum? yes my husband has noticed it too", "saddle_numbness", "P"),
    ("Have you had a fever? yes my husband has", "fever", "?"),
    ("Any problems with bladder or bowels? yes both", "bowel_dysfunction", "P"),
    ("My bum is numb and both feet are fine", "saddle_numbness", "P"),
    ("My legs keep giving way but they are fine in the morning", "bilateral_leg_weakness", "P"),
    ("I sleep with my foot hanging down because it eases the pain", "foot_drop_or_tripping", "-"),
    ("I can't lift my foot up onto the step", "foot_drop_or_tripping", "?"),
    ("my bum is numb and I cant feel the loo paper how about bladder? all good", "saddle_numbness", "P"),
    ("cant feel when i wipe bladder? fine", "saddle_numbness", "P"),
    ("Saddle numb since Sat / bladder: fine", "saddle_numbness", "P"),
    ("Q: Temperature?\nA: normal\n(39.1 last night though)", "fever", "P"),
    ("Any numbness, weakness or bladder problems?\nFine\nbum is numb though", "saddle_numbness", "P"),
    ("Thirst? normal.\nDrinking loads and up all night weeing", "thirst_or_passing_much_urine", "P"),
    # the sixth review: a bare label's "fine" or "no" answers what ends with it, not the writer's words before it
    ("numb bum bladder? fine", "saddle_numbness", "?"),
    ("temp 39 heel? fine", "fever", "?"),
    ("red streak up shin temp? normal", "rapidly_spreading_redness", "?"),
    ("When I wipe I cant feel anything, bladder? fine", "saddle_numbness", "P"),
    ("numb bum is your bladder ok? fine", "saddle_numbness", "P"),
    ("Bladder? fine\nbut I have leaked twice", "bladder_dysfunction", "?"),
    ("Bladder or bowels? yes both fine", "bladder_dysfunction", "?"),
    ("Numbness round your bottom or genitals? No", "saddle_numbness", "A"),
    ("bladder or bowel changes? Can't say I have", "bowel_dysfunction", "A"),
    # an anaesthetic's numbness that has worn off is past, not the writer's now (NHS spinal anaesthetic information)
    ("My legs and bottom were numb for a few hours after the spinal, but it's all worn off now.", "saddle_numbness", "?"),
    ("My bum has been numb since Tuesday and the painkillers have worn off.", "saddle_numbness", "P"),
    # an item after "No ...," that says a state is a statement of its own; a list of things stays denied
    ("No fever, foot cold and pale", "cold_pale_foot", "P"),
    ("No injury, wet myself last night", "bladder_dysfunction", "P"),
    ("No numbness or tingling, both legs weak", "bilateral_leg_weakness", "P"),
    ("No history of cancer, lost 2 stone without trying", "unexplained_weight_loss", "P"),
    ("No pain at night, fever since Monday", "fever", "P"),
    ("No relief, redness spreading", "rapidly_spreading_redness", "P"),
    ("No fever, chills or sweats", "fever", "A"),
    ("No numbness, tingling or weakness", "numbness", "A"),
    # a second verb after "and", or a verb after a comma, is out of a denial's reach
    ("I couldn't feel my legs and wet myself", "bladder_dysfunction", "P"),
    ("I couldn't get to the loo in time and wet myself", "bladder_dysfunction", "P"),
    ("No bladder problems, can't feel when I've opened my bowels though", "bowel_dysfunction", "P"),
    ("I haven't wet myself and haven't soiled myself", "bowel_dysfunction", "A"),
    ("Haven't opened my bowels for 4 days and can't feel when I need to go", "bowel_dysfunction", "?"),
    # admissions and double negatives say yes
    ("I never thought I'd wet myself at my age but I have", "bladder_dysfunction", "P"),
    ("Not to mention I've got a fever", "fever", "P"),
    ("There's no denying I can't feel my bum", "saddle_numbness", "P"),
    ("I never go a day without a temperature", "fever", "P"),
    ("I didn't realise the redness had spread up to my knee", "rapidly_spreading_redness", "P"),
    ("I can't sleep for the pain at night", "pain_at_rest_or_night", "P"),
    ("I've not been able to pass water since yesterday", "bladder_dysfunction", "P"),
    ("I pissed myself", "bladder_dysfunction", "P"),
    ("my balls are numb", "saddle_numbness", "P"),
    ("the balls of my feet are numb", "saddle_numbness", "-"),
    ("sciatica down one leg then the other", "new_bilateral_or_alternating_sciatica", "P"),
    ("I'm 101.5F", "fever", "P"),
    # a sign someone else has or denies, beside the writer's own, is asked
    ("My partner doesn't have a fever but I do.", "fever", "?"),
    # resolutions, near misses and fears are asked; a reply to a question is not a resolution
    ("The fever's gone now.", "fever", "A"),
    ("My fever has gone but I wet myself today", "fever", "A"),
    ("I had a fever. It's better now but my heel hurts.", "fever", "?"),
    ("My foot went cold and white. It's gone warm again.", "cold_pale_foot", "?"),
    ("Thought I had a fever", "fever", "?"),
    ("I nearly wet myself laughing", "bladder_dysfunction", "?"),
    ("I'm scared I'll wet myself", "bladder_dysfunction", "?"),
    ("I nearly always wet myself now", "bladder_dysfunction", "P"),
    ("numb bum since monday bladder? fine", "saddle_numbness", "P"),
    ("I'm losing weight but I'm on a diet", "unexplained_weight_loss", "A"),
    # a second review: notes and dictation after a denial, corrections, someone else, bare readings, word senses
    ("denies fever, c/o bilateral leg weakness and urinary retention", "bilateral_leg_weakness", "P"),
    ("No fever, new urinary retention", "bladder_dysfunction", "P"),
    ("denies trauma reports bilateral sciatica", "new_bilateral_or_alternating_sciatica", "P"),
    ("no numbness legs weak", "bilateral_leg_weakness", "P"),
    ("no fever redness spreading fast", "rapidly_spreading_redness", "P"),
    ("No fever/foot cold and pale", "cold_pale_foot", "P"),
    ("No weight loss, drinking 4 litres a day", "thirst_or_passing_much_urine", "P"),
    ("No fever, saddle numbness", "saddle_numbness", "?"),
    ("No fever, chills, sweats", "fever", "A"),
    ("No numbness anywhere except in my saddle area", "saddle_numbness", "?"),
    ("no fever no chills no sweats except last night I was 38.9", "fever", "P"),
    ("Pt denies saddle anaesthesia, though notes reduced sensation when wiping", "saddle_numbness", "P"),
    ("No numbness down below. Actually I think my bum might be a bit numb.", "saddle_numbness", "?"),
    ("Bowels fine. Scratch that, had an accident this morning", "bowel_dysfunction", "?"),
    ("I have a fever, scratch that, no fever", "fever", "A"),
    ("My heel hurts. A friend of mine had numbness down below", "saddle_numbness", "?"),
    ("I had foot drop in 2019. Heel pain worse every day", "progressive_weakness", "-"),
    ("My dad has foot drop, my heel pain is worse than yesterday", "progressive_weakness", "-"),
    ("my legs wont hold me up", "bilateral_leg_weakness", "P"),
    ("38.4C this morning", "fever", "P"),
    ("it was 38°C outside and my heel hurt", "fever", "-"),
    ("I try to drink 2 litres a day", "thirst_or_passing_much_urine", "?"),
    ("the physio told me to lift my knee high in the exercise", "foot_drop_or_tripping", "-"),
    ("I wore my purple trainers and my heel hurt", "skin_black_purple_or_blistering", "?"),
    ("Read that erection problems can be a sign - mine are fine", "new_sexual_dysfunction", "?"),
    # a third review: broad lay wordings
    ("I cant pee which aint normal", "bladder_dysfunction", "P"),
    ("I can't get up in the morning because my heel hurts", "new_sexual_dysfunction", "-"),
    ("I cant feel it come out when I poo", "bowel_dysfunction", "P"),
    ("I cant feel it come out when I poo", "new_sexual_dysfunction", "-"),
    ("Had fever last week, better now", "fever", "?"),
    ("the sciatica's jumped to the other side", "new_bilateral_or_alternating_sciatica", "P"),
    ("some days its the left leg some days its the right, shooting down the back to the heel",
     "new_bilateral_or_alternating_sciatica", "P"),
    ("severe pain but the foot looks totally normal", "pain_out_of_proportion", "P"),
    ("it came on like someone flicked a switch", "sudden_onset", "P"),
    ("I dont get any warning that I need to go anymore", "altered_urinary_sensation", "P"),
    ("feel boiling hot then freezing", "fever", "P"),
    ("nan can't remember what day it is, which isn't like her at all", "new_confusion", "P"),  # written for nan
    ("I've lost the strength in both my legs", "bilateral_leg_weakness", "P"),
    ("fell over twice this week because my foot didn't lift", "foot_drop_or_tripping", "P"),
    ("had a couple of accidents this week, never happened before", "bladder_dysfunction", "?"),
    ("my heel is double the size of the other and it's warm", "heel_red_hot_swollen", "P"),
    # a denied verb over a list closed by "or" (UK Sepsis Trust and NHS cauda equina questions, answered in a sentence)
    ("I haven't had any fever, chills, confusion or weight loss.", "new_confusion", "A"),
    ("I haven't had any fever, chills, confusion or weight loss.", "fever", "A"),
    ("I don't have back pain, leg pain, bladder problems or numbness between my legs.", "saddle_numbness", "A"),
    ("I'm not sleeping, my legs are weak or numb.", "bilateral_leg_weakness", "P"),
    # a reason is the writer's own (NHS cauda equina page: "both legs weak", sciatica page: "pain at night")
    ("I can't stand because both legs give way.", "bilateral_leg_weakness", "P"),
    ("I can't sleep because the pain in my heel is so bad at night.", "pain_at_rest_or_night", "P"),
    # negative concord says nothing is felt (GIRFT CES symptom card, "numbness when wiping")
    ("when i am wiping i dont feel nothing on bottom. no fever.", "saddle_numbness", "P"),
    ("I don't feel numb down below.", "saddle_numbness", "A"),
    # a denial of the time before now tells a change (NHS cauda equina and diabetes symptom pages)
    ("I've never had trouble peeing before, but since yesterday I can't get it started.", "bladder_dysfunction", "?"),
    # the change itself told in words the rules read ("drinking litres") is there, not only asked
    ("Normally I'm never thirsty but lately I'm drinking litres and peeing all night.", "thirst_or_passing_much_urine",
     "P"),
    ("I've never been confused before but today I keep forgetting where I am.", "new_confusion", "?"),
    ("I have never had diabetes but now my heel hurts.", "diabetes", "A"),
    # a strong or wry "no" (NHS 111 online questions answered as people do)
    ("Numb down there? Certainly not.", "saddle_numbness", "A"),
    ("Problems peeing? No way.", "bladder_dysfunction", "A"),
    ("Losing weight? If only!", "unexplained_weight_loss", "A"),
    # a question reported, then answered (GIRFT CES pathway: the questions asked in primary care)
    ("They asked about bladder problems, none of that.", "bladder_dysfunction", "A"),
    ("The doctor asked about numbness in the saddle area. I haven't had any.", "saddle_numbness", "A"),
    ("The leaflet mentions numbness in the saddle area, which I haven't got.", "saddle_numbness", "A"),
    ("The GP asked about numbness down below and I said yes, since Tuesday.", "saddle_numbness", "?"),
    ("carer: she keeps asking for her late husband, temperature 38.7", "fever", "P"),
    # a passing episode said to be over (NHS pins and needles and numbness pages: sitting on a foot, the cold)
    ("Got pins and needles from sitting on my foot watching telly, gone now.", "tingling_pins_needles", "?"),
    ("The tingling stopped after I changed my shoes.", "tingling_pins_needles", "?"),
    ("Was shivery and hot with a chest infection in January, all recovered.", "fever", "?"),
    ("My numbness went away but both legs are weak now.", "bilateral_leg_weakness", "P"),
    ("My bum has been numb since Tuesday and it's getting worse.", "saddle_numbness", "P"),
    # a question of general knowledge is asked; one about what the writer's own sign means asserts it (NHS cauda equina
    # and limb ischaemia pages, as forum titles ask them)
    ("Is a cold pale foot ever linked to plantar fasciitis?", "cold_pale_foot", "?"),
    ("Is foot drop something that can happen with this?", "foot_drop_or_tripping", "?"),
    ("Is there a wound? Yes, under my left heel, 5 weeks and not healing", "foot_sore_not_healing", "P"),
    ("Is it normal that I can't feel the toilet paper?", "saddle_numbness", "P"),
    ("Should I worry that both legs feel weak?", "bilateral_leg_weakness", "P"),
    ("Is it serious if my foot goes cold?", "cold_pale_foot", "?"),
    ("Is it normal that I don't have a fever?", "fever", "A"),
    # warning signs told by what happens, in short messages (GIRFT CES card; NHS sciatica, cauda equina, necrotising
    # fasciitis, diabetes, cancer-symptom and foot-drop pages; ARA prednisolone leaflet)
    ("Heel throbs all night long.", "pain_at_rest_or_night", "P"),
    ("No pain at night, it doesn't throb all night.", "pain_at_rest_or_night", "A"),
    ("Nothing helps, not even lying still.", "pain_at_rest_or_night", "-"),
    ("Day by day my foot is losing strength.", "progressive_weakness", "P"),
    ("I'm not losing strength each day.", "progressive_weakness", "A"),
    ("My legs are not weaker than yesterday.", "progressive_weakness", "?"),
    ("Both my legs have sciatica now.", "new_bilateral_or_alternating_sciatica", "P"),
    ("sciatica moved over to the right, and now it hops between the two", "new_bilateral_or_alternating_sciatica", "P"),
    ("It's a tiny wound but the pain is severe.", "pain_out_of_proportion", "P"),
    ("i go to the toilet every hour for a wee, much more than usual", "thirst_or_passing_much_urine", "P"),
    ("Lost 8lb this month and I'm not dieting.", "unexplained_weight_loss", "P"),
    ("They found a tumour in my breast in 2015 and I had surgery.", "history_of_cancer", "P"),
    ("Currently on 10mg pred a day for polymyalgia.", "oral_steroid_use", "P"),
    ("Cant get a stiffy since back went.", "new_sexual_dysfunction", "P"),
    ("I can't climax since the disc went.", "new_sexual_dysfunction", "P"),
    ("Loss of feeling in my genitals.", "new_sexual_dysfunction", "P"),
    ("My stream is really weak now.", "bladder_dysfunction", "P"),
    ("The stream isn't weak.", "bladder_dysfunction", "-"),
    ("He didn't feel the last leak at all.", "altered_urinary_sensation", "P"),
    ("since the disc went I get leaks of poo", "bowel_dysfunction", "P"),
    ("my groin and both bum cheeks feel fizzy and half dead", "saddle_numbness", "P"),
    ("My toes scrape the ground and I have to swing my leg out to walk.", "foot_drop_or_tripping", "P"),
    ("Neither leg will hold me up.", "bilateral_leg_weakness", "P"),
    ("My foot has no colour and no warmth.", "cold_pale_foot", "P"),
    ("Turned for a pass and something went bang just above my heel.", "sudden_onset", "P"),
    ("I can't say I haven't noticed my foot getting colder and paler than the left.", "cold_pale_foot", "P"),
    ("Never stop the prednisolone suddenly, the nurse said. So yes, I'm on it, 10mg a day.", "oral_steroid_use", "P"),
    # a warning word in another sense, an animal's or a clinician's patients' signs (false-alarm review)
    ("I'm a Cancer (star sign not illness!) and my heel hurts.", "history_of_cancer", "-"),
    ("I volunteer in the Cancer Research shop, on my feet all day, heel pain.", "history_of_cancer", "-"),
    ("I am a cancer patient.", "history_of_cancer", "P"),
    ("I'm raising money for Diabetes UK by walking 10k a day, and now my heel hurts.", "diabetes", "-"),
    ("I work as a diabetes specialist nurse, on my feet 12 hours.", "diabetes", "-"),
    ("My diabetes nurse checked my feet.", "diabetes", "P"),
    ("World Cup fever has me playing five-a-side again, now my achilles aches.", "fever", "-"),
    ("The cat's paw is swollen and hot, she's at the vet. My heel has been sore for weeks.", "heel_red_hot_swollen", "?"),
    ("I'm a district nurse and one of my patients has a black toe; my own problem is plantar fasciitis.",
     "skin_black_purple_or_blistering", "?"),
    ("Care home senior here. One of our residents has a patch on her left heel that has gone black.",
     "skin_black_purple_or_blistering", "P"),
    # a drug offered or prescribed and not taken (NHS steroid tablets page; MHRA fluoroquinolone warning)
    ("Was prescribed steroid tablets but never took them.", "oral_steroid_use", "A"),
    ("I was given ciprofloxacin but didn't take it after reading about tendons.", "quinolone_antibiotic_recent", "A"),
    ("I was prescribed prednisolone and have taken it for 3 months.", "oral_steroid_use", "P"),
    # a fear, a bet or a dream; text-speak and "zero" denials; pre-diabetes is not diabetes (false-alarm review)
    ("I'm paranoid my foot will go numb like my dad's.", "numbness", "?"),
    ("I'm worried because my foot is cold and white.", "cold_pale_foot", "P"),
    ("Had a nightmare my foot turned black and fell off, woke up and it's fine, just sore.",
     "skin_black_purple_or_blistering", "?"),
    ("Zero fever, zero swelling.", "fever", "A"),
    ("i dnt have fever or shivers, just heel pain wen i walk", "fever", "A"),
    ("Lost weight? Ha, the opposite, I've put on half a stone.", "unexplained_weight_loss", "A"),
    ("I had pre-diabetes but my sugars are normal now.", "diabetes", "-"),
    # from dev19's first look: an episode gone within the hour, a yes-or-no question about oneself, advice on a drug
    ("Got numb down below after 60 miles on the bike - it had gone within the hour of getting off.", "saddle_numbness",
     "?"),
    ("Probably imagining it, but am I weeing more often since my back went? Hard to say.",
     "thirst_or_passing_much_urine", "?"),
    ("The nurse said never stop the prednisolone suddenly. So yes, I'm on it.", "sudden_onset", "-"),
    ("The trouble is the heel: a spot bang in the middle of the underside.", "pain_centre_of_heel_pad", "P"),
    ("Found a pea-sized lump on my left Achilles.", "pain_achilles_above_heel", "P"),
    ("Ulcer on my right heel for over a month now, but it isn't healing.", "foot_sore_not_healing", "P"),
    ("Overnight it's turned a dark plum colour.", "skin_black_purple_or_blistering", "P"),
    ("Since yesterday she can't follow a conversation.", "new_confusion", "P"),
    ("Neither leg has gone weak or numb.", "bilateral_leg_weakness", "A"),
    ("Neither leg has gone weak or numb.", "numbness", "A"),
    ("A crack on the back of my heel got infected.", "pop_or_kick_sensation", "-"),
    # second review round: lists denied as a whole, form replies after a dash, a fever over, weight lost on purpose, the
    # writer's own denial after another's sign, corrections, surprises, a heel gone cold and white
    ("Fever or chills? Neither.", "fever", "A"),
    ("Bladder problems, bowel problems, numbness in the saddle area - none of that. My back aches.", "saddle_numbness",
     "A"),
    ("I've had none of these: fever, confusion, passing lots of urine.", "new_confusion", "A"),
    ("2. Any numbness between the legs - no. 3. Bladder - fine.", "saddle_numbness", "A"),
    ("Back pain, no.", "low_back_pain", "A"),
    ("I have back pain, no fever.", "low_back_pain", "P"),
    ("I had a fever with the flu but that's over.", "fever", "?"),
    ("The fever broke yesterday and I feel much better.", "fever", "?"),
    ("Since my gastric band I've lost 4 stone.", "unexplained_weight_loss", "A"),
    ("Lost a stone in two months without trying.", "unexplained_weight_loss", "P"),
    ("The kids all have fevers this week but I haven't had one.", "fever", "?"),
    ("My mate's foot went numb after his op - mine hasn't.", "numbness", "?"),
    ("I have a fever - sorry, typo, I meant I DON'T have a fever.", "fever", "A"),
    ("At 47 I didn't expect sore heels underneath.", "pain_under_heel", "P"),
    ("My heel went cold and white an hour ago.", "cold_pale_foot", "P"),
    ("It's not under the heel at all, it's at the back.", "pain_under_heel", "A"),
    ("Age: 53. Heel pain under right foot.", "pain_under_heel", "P"),
    ("There's a sore on my heel that won't heal.", "foot_sore_not_healing", "P"),
    ("Lost 8lb this month and I'm not dieting.", "unexplained_weight_loss", "P"),
    ("Temp was 38.6 on Tuesday but paracetamol sorted it and it's been normal since.", "fever", "?"),
    ("I had a temperature of 38.5 at the weekend but it settled by Monday.", "fever", "?"),
    ("My foot went cold and white on Sunday and it hasn't been fine since", "cold_pale_foot", "P"),
    ("when I wipe it doesn't feel like my own bum, it's sort of dead and it's gone down the inside of my thighs too",
     "saddle_numbness", "P"),
    ("Temperature, tingling, back pain - I get none of them, honestly.", "low_back_pain", "A"),
    ("My wife has a fever and the flu. I don't, I'm fine apart from the heel.", "fever", "?"),
    ("Right heel, stabbing underneath, like treading on broken glass.", "puncture_wound_or_ulcer", "-"),
    ("It's not the back of my heel, it's underneath.", "low_back_pain", "-"),
    # sites and nerve words in lay forms (a review of everyday messages; NHS plantar fasciitis, back pain, sciatica,
    # numbness and pins and needles pages)
    ("Dull ache in the small of my back.", "low_back_pain", "P"),
    ("Lumbago for years.", "low_back_pain", "P"),
    ("I can't feel the bottom of my heel properly.", "numbness", "P"),
    ("A burning, pins-and-needles feeling under my heel.", "tingling_pins_needles", "P"),
    ("Stepping out of bed is the worst part, the heel just screams.", "first_step_pain", "P"),
    ("Pain is behind the heel, not underneath.", "pain_back_of_heel", "P"),
    ("The bit of the heel that hits the ground first is really sore.", "pain_under_heel", "P"),
    ("Pain down the outside of my calf into the heel.", "leg_pain_radiating_below_knee", "P"),
    # misspellings put right, the verb "heal" left alone; a reason told with "as" (a review of everyday messages)
    ("pain in my heal, underneath, left foot", "pain_under_heel", "P"),
    ("pain undernieth my heel", "pain_under_heel", "P"),
    ("achillies sore above my heel on the left side", "pain_achilles_above_heel", "P"),
    ("my cut won't heal and the heel is sore", "foot_sore_not_healing", "P"),
    ("I couldn't get off the sofa as both my legs were so weak.", "bilateral_leg_weakness", "P"),
    ("No fever as far as I know.", "fever", "A"),
    # numbness in the words of foot checks and neuropathy pages (Diabetes UK annual foot check; NHS peripheral
    # neuropathy), and its denial everywhere at once
    ("O/E: ↓ sensation over the lateral border of the L foot, L ankle jerk absent", "numbness", "P"),
    ("He's had little feeling in that foot for years.", "numbness", "P"),
    ("I can't feel much in either foot.", "numbness", "P"),
    ("Pt cannot feel the monofilament at any site.", "numbness", "P"),
    ("He can't feel me touch his toes.", "numbness", "P"),
    ("His left leg has gone dead since this morning.", "numbness", "P"),
    ("Monofilament felt at all sites.", "numbness", "A"),
    ("L foot warm and pink, sensation and movement normal.", "numbness", "A"),
    ("Perianal sensation normal, heel sore.", "numbness", "-"),
    ("No loss of sensation in the foot.", "numbness", "A"),
    ("Back's fine, no numbness anywhere.", "numbness", "A"),
    ("Back's fine, no numbness anywhere.", "saddle_numbness", "A"),
    # a denial with its exception straight after the sign says where the sign is (NHS numbness page)
    ("No numbness anywhere except my toes.", "numbness", "P"),
    ("no tingling apart from under the heel", "tingling_pins_needles", "P"),
    ("no fever, no numbness except my toes", "fever", "A"),
    # a form's label that ends in a word asking where or when ("Numbness anywhere? No"), and "your" back in a question
    ("Q: Numbness anywhere? A: No.", "numbness", "A"),
    ("Fever at all? No.", "fever", "A"),
    ("Q: Any pain in your back? A: Yes, low down, a fortnight now.", "low_back_pain", "P"),
    # the GIRFT CES card's signs told normal in a list, and a normal told up to a time (a change: asked)
    ("no numbness down below, wee and poo normal, no problems in the bedroom, legs strong.", "new_sexual_dysfunction",
     "A"),
    ("no numbness down below, wee and poo normal, no problems in the bedroom, legs strong.", "bilateral_leg_weakness",
     "A"),
    ("Legs as strong as ever, no tripping.", "bilateral_leg_weakness", "A"),
    ("My legs work fine.", "bilateral_leg_weakness", "A"),
    # a label question answered by more than yes or no ("Weakness in your legs? Only the right") is asked, never counted
    ("Weakness in your legs? Only the right - the front of my foot won't lift.", "bilateral_leg_weakness", "?"),
    ("both legs strong, no temperature", "bilateral_leg_symptoms", "A"),
    ("my legs were fine until Monday, now they both give way", "bilateral_leg_weakness", "?"),
    ("legs fine till yesterday, now both weak", "bilateral_leg_weakness", "?"),
    ("my foot was warm and pink until an hour ago", "cold_pale_foot", "?"),
    ("When I stand up, my both legs feel not strong, like they will fold.", "bilateral_leg_weakness", "P"),
    # answers to forms and plain or second-language English (a twentieth batch's development texts; GIRFT CES card,
    # NHS foot drop, numbness, cellulitis, gout, sepsis and unexplained weight loss pages, Diabetes UK)
    ("Yesterday in the bus the pee come out and I did not feel it before.", "altered_urinary_sensation", "P"),
    ("Yesterday in the bus the pee come out and I did not feel it before.", "bladder_dysfunction", "P"),
    ("From 2 days I wet myself and I don't feel it.", "altered_urinary_sensation", "P"),
    ("The toes catch the floor also.", "foot_drop_or_tripping", "P"),
    ("Under the foot it feels like cotton wool.", "numbness", "P"),
    ("I put cotton wool between my toes.", "numbness", "-"),
    ("My son pulled a thumbtack out of my heel - I never felt it go in.", "numbness", "P"),
    ("Every night this week my right heel is throbbing.", "pain_at_rest_or_night", "P"),
    ("Lying here now I can't even rest the sheet on it.", "pain_at_rest_or_night", "P"),
    ("The red is climbing fast - it was at the ankle at breakfast.", "rapidly_spreading_redness", "P"),
    ("I felt awful, shaking and burning hot.", "fever", "P"),
    ("I felt awful, shaking and burning hot.", "burning_pain", "-"),
    ("Read about the 3 Ps of diabetes - thirst, peeing, hunger. Checked myself: none of the three.",
     "thirst_or_passing_much_urine", "A"),
    ("Read about the 3 Ps of diabetes - thirst, peeing, hunger. Checked myself: none of the three.", "diabetes", "?"),
    ("Weight? Steady.", "unexplained_weight_loss", "A"),
    ("The bathroom scales haven't budged.", "unexplained_weight_loss", "A"),
    ("I checked: the skin is not broken, no blood.", "puncture_wound_or_ulcer", "A"),
    ("Today they are a normal colour, warm, and I can feel everything.", "numbness", "A"),
    ("No skin problems at all.", "psoriasis", "A"),
    ("I drink normally now.", "thirst_or_passing_much_urine", "A"),
    ("'Where exactly?' Under the right heel.", "pain_under_heel", "P"),
    ("1 left 2 under the heel and up into the calf", "pain_under_heel", "P"),
    ("My right heel has hurt under the pad for 2 months.", "pain_under_heel", "P"),
    ("Both soles hurt where the heel meets the arch.", "pain_under_heel", "P"),
    ("It catches me every time I get out of my armchair.", "first_step_pain", "P"),
    # a list under one denial stays denied, and a mark drawn round the redness that has not grown (NHS cellulitis)
    ("I haven't had fever, sweats, weight loss or night pain.", "fever", "A"),
    ("The redness isn't spreading, I drew round it with a pen yesterday and it's the same.", "rapidly_spreading_redness",
     "A"),
    ("i have no idea when i need to go for a wee anymore, no signal at all", "altered_urinary_sensation", "P"),
    # the foot's states listed after it, a grey or waxy colour (NHS acute limb ischaemia and frostbite pages); a
    # relative and their age opening a text written for them
    ("Now the foot is numb, ice cold and a grey colour.", "cold_pale_foot", "P"),
    ("Left foot has gone a greyish-yellow and firm.", "cold_pale_foot", "P"),
    ("Mum, 84, uncontrollable shaking and very hot, and since this afternoon she doesn't know what day it is.",
     "new_confusion", "P"),
    # a warning sign told, then denied as of now: neither counted nor denied, but asked (NHS gout page)
    ("Gout in my left heel last month - red, hot and swollen. The GP offered steroid tablets but I took colchicine "
     "instead. It has settled, not red or hot now.", "heel_red_hot_swollen", "?"),
    ("My heel is red, hot and swollen. No fever now.", "heel_red_hot_swollen", "P"),
    # everyday messages and text-speak (a review of mixed messages; NHS back pain, sciatica, sepsis, puncture wound and
    # Achilles rupture pages, Diabetes UK, GIRFT CES card)
    ("cnt feel wen i wipe since yday n back is agony.", "low_back_pain", "P"),
    ("numbness around bottom - none. back - sore since monday.", "low_back_pain", "P"),
    ("The scab on the back of my heel keeps opening up and never heals.", "foot_sore_not_healing", "P"),
    ("Im diabetec and my heal has a ulser on it thats not healed in 2 month", "diabetes", "P"),
    ("It started as a bit of weakness in my toes, now my whole foot is weak.", "progressive_weakness", "P"),
    ("It doesn't look bad at all but it hurts more than anything I've ever had.", "pain_out_of_proportion", "P"),
    ("Heard a pop at the back of my ankle then sharp pain straight away.", "sudden_onset", "P"),
    ("Trod on a piece of glass at the beach 3 days ago and now the heel's sore.", "puncture_wound_or_ulcer", "P"),
    ("The pain is under my left heel, like stepping on a nail.", "puncture_wound_or_ulcer", "-"),
    ("My heel is red round a splinter I got on Friday.", "puncture_wound_or_ulcer", "P"),
    ("I've been peeing myself without feeling it.", "altered_urinary_sensation", "P"),
    ("I'm not sure where I am at times today and my words come out wrong.", "new_confusion", "P"),
    ("My leg pain goes from the buttock down to the ankle on the left.", "leg_pain_radiating_below_knee", "P"),
    ("Last night I woke with the back of my heel throbbing.", "pain_at_rest_or_night", "P"),
    ("It's only the heel, under it, when I stand up after sitting.", "pain_under_heel", "P"),
    # the place told after a contrast or after the heel (a review of heel sites; NHS plantar fasciitis and Achilles pages)
    ("It's not under the heel at all, it's at the back.", "pain_back_of_heel", "P"),
    ("It's not the back of my heel, it's underneath.", "pain_under_heel", "P"),
    ("I have heel pain, its under my foot not behind.", "pain_under_heel", "P"),
    ("Aged 63. Heel pain bottom of left foot.", "pain_under_heel", "P"),
    ("it's in the back, low down", "pain_back_of_heel", "-"),
    ("When I step out of bed my heels feel like they're on little knife blades.", "first_step_pain", "P"),
    # a simile is no wound (NHS plantar fasciitis: pain "like stepping on glass"); a sequence in a leaflet's warning
    # is all of it the leaflet's (NHS frostbite: "cold and prickly, then numb")
    # the Achilles told sore with no place on it is the tendon itself; told where it joins the heel, the back of the
    # heel (NHS Achilles tendinopathy: pain and stiffness in the tendon, or at the back of the heel)
    ("Both Achilles tendons are playing up after my long runs.", "pain_achilles_above_heel", "P"),
    ("L achilles sore since pickleball.", "pain_achilles_above_heel", "P"),
    ("My Achilles is sore where it joins the heel.", "pain_achilles_above_heel", "-"),
    ("My Achilles is sore where it joins the heel.", "pain_back_of_heel", "P"),
    ("My left Achilles where it joins the heel is swollen and hurts.", "pain_back_of_heel", "P"),
    ("Sharp under both heels when I first put weight on them.", "unexplained_weight_loss", "-"),
    ("I can't feel myself when I wipe.", "saddle_numbness", "P"),
    # (NHS foot drop: dragging the foot; acute limb ischaemia: a cold, pulseless foot)
    ("I've started dragging my right foot and catching it on the stairs.", "foot_drop_or_tripping", "P"),
    ("I'm dragging my feet a bit because I'm tired.", "foot_drop_or_tripping", "?"),
    ("My right foot has no pulse according to the nurse.", "absent_foot_pulses", "P"),
    ("My foot feels like it doesn't belong to me, it's numb and cold.", "cold_pale_foot", "?"),
    ("My heel hurts, it's like I'm treading on glass.", "puncture_wound_or_ulcer", "-"),
    ("I was treading on a nail at work and now my heel hurts.", "puncture_wound_or_ulcer", "P"),
    ("The guide says frostbite starts cold and prickly, then numb. Mine is just sore under the heel.", "numbness", "?"),
    ("I walk as if I'm climbing stairs, lifting my knee high, and then the foot slaps down.", "foot_drop_or_tripping",
     "P"),
]


# a warning sign denied, then its subject raised again in other words (GIRFT CES card: saddle sensation): the denial
# stands in the case, and the sign is asked first
@pytest.mark.parametrize(("text", "asked"), [
    ("Numbness around your buttocks? No. Does it feel different when you sit down? Yes - hard to explain, and wiping "
     "feels far away since Tuesday.", True),
    ("No numbness down below and wiping is normal.", False),
    ("No numbness down below.", False),
])
def test_a_denied_warning_sign_raised_again_in_other_words_is_asked(context, text, asked):
    intake = context.read_text(text)
    assert intake.to_case_findings().get("saddle_numbness") is not None
    assert ("saddle_numbness" in context.to_confirm(intake)) is asked


@pytest.mark.parametrize(("text", "finding_id", "state"), REVIEWED)
def test_sentences_an_independent_review_found_read_wrongly(context, text, finding_id, state):
    intake = context.read_text(text)
    value = intake.to_case_findings().get(finding_id)
    got = {True: "P", False: "A"}.get(polarity(value) if value is not None else None, "-")
    if got == "-" and finding_id in context.to_confirm(intake):
        got = "?"
    assert got == state


# wording families from the seventeenth batch's development texts (varieties of English, formal letters, second-
# language writers), each with the page family it follows
WORDINGS_OF_ENGLISHES = [
    # NHS fever pages: a reading taken, then its result
    ("Temperature checked, 98.6 F only. Right heel pain for 3 weeks.", "fever", "A"),
    ("Temperature checked, 38.9 this morning.", "fever", "P"),
    # a sentence opened with a time long past (WHO typhoid fact sheet), until it comes back to now
    ("Two years ago I had typhoid with high fever and I was confused, they admitted me one week.", "new_confusion", "?"),
    ("Two months ago I had a fall and now I can't feel my bum and my legs are weak.", "saddle_numbness", "P"),
    # Diabetes UK's 4 Ts, as a formal condition and as their absence
    ("I should be grateful to know whether, were I to become excessively thirsty, I ought to telephone at once.",
     "thirst_or_passing_much_urine", "?"),
    ("At present my thirst is quite ordinary and I pass water no more than usual.", "thirst_or_passing_much_urine", "A"),
    # NHS urinary retention, told as what happens and as resolved
    ("Since I woke up today I go to pee and nothing comes out, like there's a kink in the hose.", "bladder_dysfunction", "P"),
    ("After my op I couldn't pee on my own for a day. That sorted itself before I went home.", "bladder_dysfunction", "?"),
    # GIRFT CES card in Indian English: stool as "motion", erection, "private part"; a list of what means hospital
    ("From two days motion is coming in his dhoti without his knowledge.", "bowel_dysfunction", "P"),
    ("From Monday I am not getting erection at all.", "new_sexual_dysfunction", "P"),
    ("There is numbness in private part and near the back side also.", "saddle_numbness", "P"),
    ("The surgeon said three things mean rush to hospital: urine stopping, motion coming without my knowing, or the foot "
     "becoming weak. Thank God none of these.", "bowel_dysfunction", "?"),
    # NHS sepsis: confusion in Irish idiom, in a relative's story that names someone else in between
    ("Mammy (88) was grand on Sunday. Yesterday she asked me was Daddy home from work yet - he's dead twenty years - "
     "and she hasn't a notion what day it is.", "new_confusion", "P"),
    ("My dad has sciatica in both legs and he can't feel his bum", "saddle_numbness", "?"),
    # NHS sepsis and cellulitis: a bare reading with shaking; redness told by where it has reached
    ("mum can u ring the gp. 38.9 and shaking under the doona and cant get warm", "fever", "P"),
    ("Morning the redness was only coin size near the ankle, now evening it has reached up to the knee.",
     "rapidly_spreading_redness", "P"),
    # GIRFT CES card: sciatica alternating, told by the days
    ("Monday it ran down my right leg, Wednesday it swapped to the left, and today it's in both at once.",
     "new_bilateral_or_alternating_sciatica", "P"),
    # low back pain in Indian, Nigerian and Australian English; heel sites from older and second-language writers
    ("My father is 71 years, having waist pain since one month.", "low_back_pain", "P"),
    ("Back's been crook since I lifted the esky out of the boot.", "low_back_pain", "P"),
    ("The right heel hurts me under, mostly the first steps when I leave the bed.", "pain_under_heel", "P"),
    ("My heel merely aches beneath when I have been standing at the sink.", "pain_under_heel", "P"),
    ("The bother is the back of the right heel - the good brogues have rubbed it.", "pain_back_of_heel", "P"),
    # GIRFT CES card in Irish English; NHS acute limb ischaemia in Scots
    ("I'm after wetting myself twice today and I never felt a thing coming.", "altered_urinary_sensation", "P"),
    ("My left foot's gone peely-wally and baltic all of a sudden.", "cold_pale_foot", "P"),
    # NHS sepsis (confusion), Diabetes UK 4 Ts, and the types of diabetes as people say them
    ("this morning he asked me twice what year it was", "new_confusion", "P"),
    ("Since yesterday she is talking anyhow, she does not know where she is.", "new_confusion", "P"),
    ("drinkin pints of squash one after the other, up for the toilet all night", "thirst_or_passing_much_urine", "P"),
    ("She has sugar, and this week she is drinking water too much.", "thirst_or_passing_much_urine", "P"),
    ("he's type 2. his heel's still sore as well", "diabetes", "P"),
    # NHS necrotising fasciitis: pain out of proportion to a small wound; NHS cellulitis: a splinter through the skin
    ("He is crying with the pain although the wound is very small.", "pain_out_of_proportion", "P"),
    ("Got a splinter in me heel off the back deck Sunday.", "puncture_wound_or_ulcer", "P"),
    # the toes as the fingers of the foot; sciatica "till the ankle"; first steps out of bed
    ("He say he cannot feel the fingers of the foot.", "numbness", "P"),
    ("now current-like pain is going in both legs till the feet", "leg_pain_radiating_below_knee", "P"),
    ("the bottom of my right heel kills when I first hop out of bed", "first_step_pain", "P"),
]

# wording families from the eighteenth batch's development texts: long stories, diaries, carers and minimisers
WORDINGS_OF_LONG_STORIES = [
    # NHS cellulitis and necrotising fasciitis
    ("Today the red has raced up over my ankle and onto the top of the foot since this morning.",
     "rapidly_spreading_redness", "P"),
    ("I can't put the foot down, and the pain is savage for two pinpricks.", "pain_out_of_proportion", "P"),
    ("The back of the heel is puffed up, bright red and so hot I can feel the warmth.", "heel_red_hot_swollen", "P"),
    # GIRFT CES card: weakness, sciatica on both sides, sex, bowels and saddle told by what happens
    ("Getting him up took twenty minutes because he had nothing in either leg to help us.", "bilateral_leg_weakness", "P"),
    ("When I went to get up, both legs simply didn't answer.", "bilateral_leg_weakness", "P"),
    ("The pain started down my right leg, then at the weekend it went down the left one as well.",
     "new_bilateral_or_alternating_sciatica", "P"),
    ("Wednesday-Thursday: swapping sides, sometimes within the hour.", "new_bilateral_or_alternating_sciatica", "P"),
    ("Buttock pain swapping sides, worse in the second half of the night.", "new_bilateral_or_alternating_sciatica", "-"),
    ("The last few times with my girlfriend I could get going fine but couldn't finish at all.",
     "new_sexual_dysfunction", "P"),
    ("Three times this week I've found a smear in my pants with no idea anything had come out.", "bowel_dysfunction", "P"),
    ("He hasn't opened his bowels for five days because the urge simply never comes.", "bowel_dysfunction", "P"),
    ("Both cheeks of his backside feel thick and padded, as if he's sitting on a folded towel that isn't there.",
     "saddle_numbness", "P"),
    # Diabetes UK 4 Ts in a child
    ("He's always got a bottle of water in his hand now - he refills it at every tap he passes.",
     "thirst_or_passing_much_urine", "P"),
    # a sentence opened before an operation is the past until it says now
    ("Before the op I couldn't sit, and my right foot had started to slap down.", "foot_drop_or_tripping", "?"),
    # normals told in the writer's words (GIRFT CES card)
    ("(it hasn't, everything down there feels normal) just asking bc my cousin freaked me out", "saddle_numbness", "A"),
    ("Walking is slow but my legs do what I tell them.", "bilateral_leg_weakness", "A"),
    ("Things that are fine: bladder, bowels, feeling when I wipe, and strength.", "bowel_dysfunction", "A"),
    ("The doctor said if I get pins and needles in both feet, or my legs become weak, I should come back quick-quick. "
     "I have none of that one.", "bilateral_leg_weakness", "A"),
]


@pytest.mark.parametrize(("text", "finding_id", "state"), WORDINGS_OF_LONG_STORIES)
def test_wordings_of_long_stories(context, text, finding_id, state):
    test_sentences_an_independent_review_found_read_wrongly(context, text, finding_id, state)


# wording families from the twenty-first batch's development texts: where, when and how a sign is told, each with the
# page family it follows
WORDINGS_OF_PLACES_AND_TIMES = [
    # NHS acute limb ischaemia: one foot paler or colder than the other
    ("Her right foot has been paler and colder than her left since yesterday.", "cold_pale_foot", "P"),
    ("My foot's always freezing compared to the other one.", "cold_pale_foot", "P"),
    # NHS necrotising fasciitis: pain far worse than it looks
    ("It's a tiny scratch but it throbs far more than a scratch has any right to.", "pain_out_of_proportion", "P"),
    ("The pain is off the scale for a heel that looks completely normal.", "pain_out_of_proportion", "P"),
    # cellulitis pages for patients: a pen line round the redness shows whether it spreads
    ("I drew round the red patch last night and this morning it's well past the pen line.", "rapidly_spreading_redness",
     "P"),
    ("The rain came up past the line on the wall.", "rapidly_spreading_redness", "-"),
    # GIRFT CES card: sexual sensation, wiping, bladder and bowel
    ("When we were being intimate on Sunday I could hardly feel anything.", "new_sexual_dysfunction", "P"),
    ("There's a patch by my tailbone that feels numb and far away when I wipe.", "saddle_numbness", "P"),
    ("Mum has been wet two nights running and had no idea it happened.", "altered_urinary_sensation", "P"),
    ("He says his bladder feels like a balloon but barely anything will come.", "bladder_dysfunction", "P"),
    # NHS diabetes: thirst and passing urine at night
    ("I'm up weeing all through the night and still parched in the morning.", "thirst_or_passing_much_urine", "P"),
    # NHS sepsis: sleepy, confused; a normal reading
    ("He keeps nodding off mid-sentence and remembers none of our chat.", "new_confusion", "P"),
    ("Our thermometer says 37.1.", "fever", "A"),
    ("Temperature 38.4 this evening.", "fever", "P"),
    ("He was shivering under two blankets and burning up.", "fever", "P"),
    # NHS foot drop and cauda equina: both feet drag, neither lifts
    ("Both my feet have started to drag and my toes scuff on every step.", "foot_drop_or_tripping", "P"),
    ("This morning I can barely lift either foot.", "bilateral_leg_weakness", "P"),
    # Achilles rupture pages for patients: as if kicked in the calf
    ("There was a thwack above my heel as if someone had kicked me.", "sudden_onset", "P"),
    # heel sites (NHS plantar fasciitis, Achilles tendinopathy, calcaneal stress fracture pages)
    ("The ache wraps from the bottom of the heel round to the back.", "pain_under_heel", "P"),
    ("The ache wraps from the bottom of the heel round to the back.", "pain_back_of_heel", "P"),
    ("It's sore at the very back where the edge of my work boot sits.", "pain_back_of_heel", "P"),
    ("If I pinch it from the inside and the outside at once it really hurts.", "pain_sides_of_heel", "P"),
    ("The heel is tender on both flanks of the bone.", "pain_sides_of_heel", "P"),
    ("It's only sore on the outer side of my heel.", "pain_sides_of_heel", "-"),
    ("My daughter says the squishy bit under her heel hurts.", "pain_centre_of_heel_pad", "P"),
    ("The underside of my heel feels like I'm standing on hot coals.", "pain_under_heel", "P"),
    # NHS diabetic foot: open wounds, nothing open; diabetes named by its type
    ("There's an open patch on my heel that won't heal.", "foot_sore_not_healing", "P"),
    ("The skin is cracked but nothing's open.", "puncture_wound_or_ulcer", "A"),
    ("Grandad (79, type 2) has a sore heel.", "diabetes", "P"),
    # NHS back pain and MHRA fluoroquinolone advice
    ("Lifting the sofa did something to my lower back.", "low_back_pain", "P"),
    ("No antibiotics lately, and no steroids.", "quinolone_antibiotic_recent", "A"),
    # a fever gone, a wound closed, a habit since childhood: asked, not counted
    ("I had a fever with the flu. It broke on Friday and I've been fine since.", "fever", "?"),
    ("The wound on my heel took a year to close and has stayed shut since.", "puncture_wound_or_ulcer", "?"),
    ("I've wet the bed now and then since I was little.", "bladder_dysfunction", "?"),
    # a relative's past told by the event that dates it; a disease on a side of the family (NHS cauda equina and
    # diabetes pages, as relatives are spoken of)
    ("My brother's legs gave way when he had his disc op.", "bilateral_leg_weakness", "?"),
    ("There's diabetes on both sides of the family but my heel is the problem.", "diabetes", "?"),
    ("Nobody in my family has psoriasis.", "family_history_spa", "A"),
]


# wording families from the twenty-second batch's development texts (where it hurts and how it began), each with the
# page family it follows
WORDINGS_OF_SITES_AND_ONSETS = [
    # Achilles rupture pages for patients and NHS acute limb ischaemia: a pop felt, an onset told to the clock
    ("Stepping off the kerb I felt a pop under my heel.", "sudden_onset", "P"),
    ("The cramp in my calf came on at about half ten and hasn't shifted.", "sudden_onset", "P"),
    ("The ache started at 40 and has never really gone.", "sudden_onset", "-"),
    # NHS acute limb ischaemia: the states told together, the colour told of "it", cooler than the other
    ("His foot went numb and cold at the bus stop.", "cold_pale_foot", "P"),
    ("Her foot hurts, and this evening it's gone a chalky white.", "cold_pale_foot", "P"),
    ("My left foot is cooler than the right one.", "cold_pale_foot", "P"),
    # NICE NG19 and Diabetes UK: a sore that has stayed open; NHS cellulitis: redness told from where to where
    ("The sore on Dad's heel has been open for five weeks.", "foot_sore_not_healing", "P"),
    ("The wound under my heel won't close up.", "foot_sore_not_healing", "P"),
    ("The redness has crept from the ulcer up to his ankle since lunch.", "rapidly_spreading_redness", "P"),
    # NHS heel pain and fat pad pages; NHS Achilles tendinopathy; NHS heel pain (back of the heel)
    ("It's bruised underneath, in the fleshy cushion of my heel.", "pain_centre_of_heel_pad", "P"),
    ("The cord three fingers above my heel aches on hills.", "pain_achilles_above_heel", "P"),
    ("He points to the very back of his heel when you ask where.", "pain_back_of_heel", "P"),
    ("If I squeeze my heel, inside and outside at once, it's sore.", "pain_sides_of_heel", "P"),
    # NHS sciatica: from the buttock down into the heel
    ("The pain runs from the side of my bum down behind the knee and ends in my heel.", "leg_pain_radiating_below_knee",
     "P"),
    ("My buttock pain shoots down into my heel.", "leg_pain_radiating_below_knee", "P"),
    # NHS plantar fasciitis: the first steps after rest
    ("It's sharp for the first half-dozen steps after sitting.", "first_step_pain", "P"),
    # NHS sepsis and delirium; GIRFT CES card (bladder filling, the back passage, normal down below)
    ("Since this morning she's muddled about where she is.", "new_confusion", "P"),
    ("Gran put her glasses in the freezer today.", "new_confusion", "P"),
    ("I can't really tell when my bladder's full any more.", "altered_urinary_sensation", "P"),
    ("The skin round my back passage feels strange.", "saddle_numbness", "P"),
    ("They asked if wiping feels normal - it does.", "saddle_numbness", "A"),
    ("Everything down below works and feels normal.", "saddle_numbness", "A"),
    # NHS numbness; GIRFT CES and NHS Guillain-Barre syndrome: weakness that worsens or climbs
    ("I'm losing feeling in my toes.", "numbness", "P"),
    ("I can't feel it when the nurse pokes my heel.", "numbness", "P"),
    ("My foot drags and it's worse each morning.", "progressive_weakness", "P"),
    ("His legs keep buckling and every day it creeps a bit higher.", "progressive_weakness", "P"),
    # NHS plantar fasciitis and heel pad pages: the place told on its own, the middle told from underneath
    ("This time it's under my left heel.", "pain_under_heel", "P"),
    ("It's under the heel of my hand.", "pain_under_heel", "-"),
    ("My heels ache under the middle after a shift.", "pain_centre_of_heel_pad", "P"),
    ("Left heel, dead centre underneath.", "pain_centre_of_heel_pad", "P"),
    # NHS heel pain (back of the heel); calcaneal stress fracture pages (squeezed side to side)
    ("My heel has been giving me gyp at the back.", "pain_back_of_heel", "P"),
    ("My heel is fine, I sat at the back of the bus.", "pain_back_of_heel", "-"),
    ("The heel isn't swollen - it just aches at the back.", "heel_red_hot_swollen", "A"),
    ("Pinching the heel bone between finger and thumb, side to side, hurts.", "pain_sides_of_heel", "P"),
    # a page's list, a fever explained and gone, colour back within minutes, nothing since, a checklist answered inline
    # (NHS fever and Raynaud's pages; the GIRFT CES card's questions as forms ask them)
    ("I googled it and it listed fever and numbness as reasons to see a doctor.", "fever", "?"),
    ("I had a temperature yesterday but it was from my flu jab and it's gone.", "fever", "?"),
    ("My toes went white in the cold and came back within minutes.", "cold_pale_foot", "?"),
    ("Had a temperature with covid in March but nothing since.", "fever", "?"),
    ("Had a fever on Monday and nothing has helped since.", "fever", "P"),
    ("Heel pain yes, fever no, numbness no", "numbness", "A"),
    ("Loss of bowel control no, weakness in legs yes.", "bowel_dysfunction", "A"),
    # NHS foot drop: a flapping foot; GIRFT CES card: nerve pain in both legs, not the ache after a race
    ("My right foot is flapping when I walk.", "foot_drop_or_tripping", "P"),
    ("Both my thighs and calves are burning and tingling since yesterday.", "new_bilateral_or_alternating_sciatica",
     "P"),
    ("Both my legs are aching after the marathon.", "new_bilateral_or_alternating_sciatica", "-"),
    # Diabetes UK's 4 Ts; NHS sepsis (confusion told as new); NHS gangrene; NHS necrotising fasciitis; GIRFT CES card
    ("I'm drinking pints of squash and still gasping.", "thirst_or_passing_much_urine", "P"),
    ("I'm up every hour of the night to pee.", "thirst_or_passing_much_urine", "P"),
    ("He's away with the fairies since this morning, not like him.", "new_confusion", "P"),
    ("I'm always away with the fairies, that's me.", "new_confusion", "?"),
    ("She keeps calling me by her sister's name.", "new_confusion", "P"),
    ("The skin on the back of his heel has gone dark and leathery.", "skin_black_purple_or_blistering", "P"),
    ("The pain doesn't fit with how small the cut is.", "pain_out_of_proportion", "P"),
    ("My legs keep folding under me on the stairs.", "bilateral_leg_weakness", "P"),
    ("Both feet slap the ground when I walk.", "foot_drop_or_tripping", "P"),
    ("My foot's gone a weird grey colour.", "cold_pale_foot", "P"),
    # the twenty-third batch's families: GIRFT CES card (leaks not felt, soiling, the loo roll, sex without feeling,
    # bladder filling), NHS sciatica (behind the thigh, behind the knee to the heel, down both calves till the heels),
    # NHS Achilles and heel pages (a hand's width above, where the tendon meets the heel, the underneath), NHS
    # necrotising fasciitis, Diabetes UK's 4 Ts, NHS peripheral neuropathy, NHS sepsis, MHRA and NHS steroid pages
    ("I found my pants damp and had no idea I'd leaked.", "altered_urinary_sensation", "P"),
    ("His pyjamas have been soiled two mornings running.", "bowel_dysfunction", "P"),
    ("I can't feel the loo roll when I wipe.", "saddle_numbness", "P"),
    ("When we make love I can hardly feel a thing.", "new_sexual_dysfunction", "P"),
    ("He cannot make out when his bladder is full.", "altered_urinary_sensation", "P"),
    ("A jolt goes from my hip down behind the thigh.", "buttock_or_thigh_pain", "P"),
    ("An ache starts behind my knee, runs down the calf and ends in the heel.", "leg_pain_radiating_below_knee", "P"),
    ("Shooting pain down the back of both calves till the heels.", "leg_pain_radiating_below_knee", "P"),
    ("A hand's width above my heel the cord is tender.", "pain_achilles_above_heel", "P"),
    ("It aches where the tendon meets the heel.", "pain_back_of_heel", "P"),
    ("It's sore at the front of my heel, on the underneath.", "pain_under_heel", "P"),
    ("The pain is through the roof, yet the skin barely looks pink.", "pain_out_of_proportion", "P"),
    ("He's guzzling squash by the pint.", "thirst_or_passing_much_urine", "P"),
    ("He can't feel much below the ankles.", "numbness", "P"),
    ("He can't feel much below the knee.", "leg_pain_radiating_below_knee", "-"),
    ("My soles feel like I'm wearing socks when I'm not.", "numbness", "P"),
    ("She's been completely with it this week.", "new_confusion", "A"),
    ("A water infection can make older people suddenly confused.", "new_confusion", "?"),
    ("She came off the prednisolone in 2019.", "oral_steroid_use", "A"),
    ("Not a single antibiotic since the spring.", "quinolone_antibiotic_recent", "A"),
    ("My weight has crept up, if anything.", "unexplained_weight_loss", "A"),
    ("I felt a crunch in my heel as I landed.", "sudden_onset", "P"),
    # written for a relative, in-laws too, with no word of the writer's own (NHS diabetic foot pages, as families write)
    ("Sir, my father-in-law is diabetic since 20 years. There is an open sore on his right heel.", "diabetes", "P"),
    ("My grandfather is diabetic. Last night he sat with both feet against the fire.", "diabetes", "P"),
    # NHS plantar fasciitis (a pin under the heel) and NHS sciatica (the buttock, then "it goes down into the heel")
    ("The first steps feel like a drawing pin under the heel.", "pain_under_heel", "P"),
    ("My buttock hurts and it goes down into the heel.", "leg_pain_radiating_below_knee", "P"),
    # a denial ends where a time or a sequence opens the next statement (GIRFT CES card; NHS cellulitis)
    ("I've never had psoriasis myself, and after netball my bum has gone numb.", "saddle_numbness", "P"),
    ("Never had diabetes, and today the heel is red, hot and swollen.", "heel_red_hot_swollen", "P"),
    ("No numbness or tingling after exercise.", "numbness", "A"),
    # heel sites in a few words more (NHS plantar fasciitis and Achilles tendinopathy; calcaneal stress fracture pages)
    ("It's on the sole, just where the heel starts.", "pain_under_heel", "P"),
    ("The achilles area is killing me.", "pain_achilles_above_heel", "P"),
    ("It's where the heel cord attaches.", "pain_back_of_heel", "P"),
    ("My heel hurts on the outside and the inside when squeezed.", "pain_sides_of_heel", "P"),
    # a mention taken back in its own sentence is asked, not counted
    ("Ignore what I said about the fever, it was my son's temperature.", "fever", "?"),
    # tarsal tunnel pages for patients: tapping behind the inner ankle bone sets the tingling off
    ("Tapping behind the ankle bone on the inside sets the tingling off.", "pain_inner_ankle_to_sole", "P"),
    # GIRFT CES card: leg pain that began on one side and is now on both; a heel that did so is not sciatica
    ("The sciatica started in the left leg and now it's in both.", "new_bilateral_or_alternating_sciatica", "P"),
    ("My heel pain started on the left, now it's both.", "new_bilateral_or_alternating_sciatica", "-"),
    # told what to look for, a suggestion not taken, a trip that is a journey, pins and needles long gone
    ("The nurse told me to check my feet every night for red streaks.", "rapidly_spreading_redness", "?"),
    ("The GP said prednisolone might help but she'd rather not.", "oral_steroid_use", "A"),
    ("It began on a walking trip.", "foot_drop_or_tripping", "-"),
    ("I had pins and needles in that foot but they've gone completely now.", "tingling_pins_needles", "?"),
    ("My shoes have a stiff back.", "low_back_pain", "-"),
]


# wording families read in general forms rather than one phrase at a time, each with the page family it follows
WORDINGS_IN_GENERAL_FORMS = [
    # NHS sciatica: pain from the bottom or back down the leg to the foot, told as a path from above the knee to below it
    ("My lower back has ached for weeks and now it burns through my buttock and thigh as far as the ankle.",
     "leg_pain_radiating_below_knee", "P"),
    ("It starts in my left hip and works its way down past the outside of the thigh and shin into my foot.",
     "leg_pain_radiating_below_knee", "P"),
    ("Pain from the buttock that ends up in the heel.", "leg_pain_radiating_below_knee", "P"),
    ("Pain goes from my bum down the back of the thigh, behind the knee and into the calf.",
     "leg_pain_radiating_below_knee", "P"),
    # bending, sitting or lying down, stairs and the night are no path; a path that stops at the knee is not below it
    ("I hurt my back lifting, and when I sit down my heel throbs.", "leg_pain_radiating_below_knee", "-"),
    ("My back is fine. My heel hurts walking down the stairs.", "leg_pain_radiating_below_knee", "-"),
    ("My back has been bad through the night and my heel is sore.", "leg_pain_radiating_below_knee", "-"),
    ("My thigh muscles are tight all the way down to my knee and my heel hurts.", "leg_pain_radiating_below_knee", "-"),
    ("The pain at the back of my heel goes down into the arch.", "leg_pain_radiating_below_knee", "-"),
    ("My back is fine, nothing comes down my leg, the other foot is fine.", "leg_pain_radiating_below_knee", "A"),
    ("Pain in my lower back, and my whole left leg has gone numb, right down to the foot.",
     "leg_pain_radiating_below_knee", "-"),
    # NHS sciatica and peripheral neuropathy pages: numbness, loss of feeling, told of any part of the leg or foot
    ("I can't feel my little toe.", "numbness", "P"),
    ("I can barely feel my heel when I rub it.", "numbness", "P"),
    ("Half my foot has no sensation.", "numbness", "P"),
    ("The feeling in my left foot has gone.", "numbness", "P"),
    ("Sensation is reduced down the outside of my calf.", "numbness", "P"),
    ("Her feet feel wooden.", "numbness", "P"),
    ("It's as if my foot is asleep all the time.", "numbness", "P"),
    ("My sole feels thick, like there's cardboard stuck to it.", "numbness", "P"),
    # feeling that is there, a leg gone to sleep from sitting on it, thick skin, nothing felt wrong
    ("I can feel my toes fine.", "numbness", "-"),
    ("My leg went to sleep while I sat on it.", "numbness", "-"),
    ("The skin on my heel feels thick and cracked.", "numbness", "-"),
    ("I can't sense anything wrong with my foot.", "numbness", "-"),
    # GIRFT CES card and NHS foot drop: weakness spreading or climbing, weaker now than days ago, harder each day
    ("The weakness has spread from my foot to my knee.", "progressive_weakness", "P"),
    ("My ankle is weaker now than it was two days ago.", "progressive_weakness", "P"),
    ("It's getting harder every day to push off with my left foot.", "progressive_weakness", "P"),
    ("He says both legs feel weak when he climbs up into the cab.", "progressive_weakness", "-"),
    # NHS sepsis and UK Sepsis Trust: not able to say what day it is, living in a year long past, hard to wake
    ("She couldn't tell me what day it was.", "new_confusion", "P"),
    ("He thinks it's 1985.", "new_confusion", "P"),
    ("He's really out of it and hard to wake.", "new_confusion", "P"),
    # GIRFT CES card: the skin around the back passage, the inner thighs, numb as after the dentist's injection
    ("The area around my back passage has lost feeling.", "saddle_numbness", "P"),
    ("The inside of my thighs feels numb near the top.", "saddle_numbness", "P"),
    ("My bum feels like it's been injected at the dentist.", "saddle_numbness", "P"),
    # GIRFT CES card: the pee not felt coming out (a motion not felt is no bladder sign), a motion passed unknowing
    ("When I pee I can't feel it coming out.", "altered_urinary_sensation", "P"),
    ("I can't tell if I've finished weeing.", "altered_urinary_sensation", "P"),
    ("When I go for a poo I can't feel it come out.", "altered_urinary_sensation", "-"),
    ("I didn't know I'd had a poo until I smelled it.", "bowel_dysfunction", "P"),
    # NHS cellulitis and necrotising fasciitis: a red patch doubled in size, skin that crackles when pressed
    ("The red area has doubled in size since this morning.", "rapidly_spreading_redness", "P"),
    ("The skin crackles when you press it.", "skin_black_purple_or_blistering", "P"),
    ("My knee crackles when I squat and my heel hurts.", "skin_black_purple_or_blistering", "?"),
    # heel fat pad pages for patients: the fat pad named on its own; Diabetes UK: sugars checked or high, in pregnancy
    ("Pain in the fat pad.", "pain_centre_of_heel_pad", "P"),
    ("Fat pad under the ball of my foot hurts.", "pain_centre_of_heel_pad", "-"),
    ("I check my blood sugar every day.", "diabetes", "P"),
    ("My sugars are high.", "diabetes", "P"),
    ("I have gestational diabetes.", "diabetes", "P"),
    ("HbA1c 41 - not diabetic.", "diabetes", "A"),
    # GIRFT CES card and NHS cauda equina: wetting the underwear unknowing, a wee that barely trickles
    ("From Sunday I am wetting my undergarments and not knowing it has happened until I feel the damp.",
     "altered_urinary_sensation", "P"),
    ("I keep wetting my pants.", "bladder_dysfunction", "P"),
    ("When I do go, it barely trickles.", "bladder_dysfunction", "P"),
    # NHS delirium pages: asking for someone long dead; NHS acute limb ischaemia: the colder and paler foot
    ("Care home rang about Mum (88). She kept asking for her husband, who died.", "new_confusion", "P"),
    ("Care home rang about Mum (88). She kept asking for Dad, who passed in 2009.", "new_confusion", "P"),
    ("The right foot is the colder and paler one.", "cold_pale_foot", "P"),
    # Achilles rupture pages: the tendon that gave a jolt; the tendon just above the heel, above where it joins it
    ("The tendon just above my right heel gave a savage jolt.", "sudden_onset", "P"),
    ("The tendon just above my right heel gave a savage jolt.", "pain_achilles_above_heel", "P"),
    ("A sore, creaky Achilles, a little way above where it joins the heel.", "pain_achilles_above_heel", "P"),
    ("A sore, creaky Achilles, a little way above where it joins the heel.", "pain_back_of_heel", "-"),
    # GIRFT CES card: sciatica that swaps sides, both knees giving way; NHS necrotising fasciitis: blotched skin
    ("It was my left leg, then the left calmed and the right side lit up instead.",
     "new_bilateral_or_alternating_sciatica", "P"),
    ("Both knees keep buckling when I walk.", "bilateral_leg_weakness", "P"),
    ("The back of the heel is blotched grey and purple.", "skin_black_purple_or_blistering", "P"),
    # NICE NG19 and NHS puncture wounds: a crack that has not closed, an ulcer there since Easter, a nail through the boot
    ("A hard callus under his heel cracked open and it still hasn't closed.", "foot_sore_not_healing", "P"),
    ("The ulcer under her left heel has been there since Easter.", "foot_sore_not_healing", "P"),
    ("Nail through my work boot into my left heel on Monday.", "puncture_wound_or_ulcer", "P"),
    ("I walked into a glass door and my heel hurts.", "puncture_wound_or_ulcer", "-"),
    # a relative lifted or cared for tells no story of theirs; one with an illness of their own still does
    ("Back pain since lifting my mother-in-law, now the pain goes down the left leg till the heel.",
     "leg_pain_radiating_below_knee", "P"),
    ("I'm looking after my mother who has a fever. My heel hurts.", "fever", "?"),
    # a pain traced from the lower back to under the heel; a twinge; rest pain lying flat or sat still
    ("I can trace it: right side of the lower back, into the bum cheek, down the calf and out under the heel.",
     "low_back_pain", "P"),
    ("I can trace it: right side of the lower back, into the bum cheek, down the calf and out under the heel.",
     "pain_under_heel", "P"),
    ("The numbness has crept from my lower back into both cheeks.", "low_back_pain", "-"),
    ("Bending to load the dishwasher twinges my lower back.", "low_back_pain", "P"),
    ("He dozes in the recliner because lying flat makes that foot ache.", "pain_at_rest_or_night", "P"),
    ("The sole throbs when I'm sat watching telly.", "pain_at_rest_or_night", "P"),
    ("The pad in the middle feels worn to nothing, like treading on bare bone.", "pain_centre_of_heel_pad", "P"),
    # a course of steroids over and done
    ("A short course of steroid tablets, all done by June and no trouble since.", "oral_steroid_use", "A"),
    # a denial before a colon ends where a statement with its own subject starts
    ("No fall, no sport: I was crossing the car park when the tendon above my right heel gave a savage jolt.",
     "sudden_onset", "P"),
    ("Denies: fever, chills, numbness.", "fever", "A"),
    # someone's death told with its date dates the death, not the patient's state
    ("Care home rang about Mum (88). This morning she kept asking for Dad, who passed in 2009.", "new_confusion", "P"),
    # a finding told, then denied as of now, is over unless it is a warning sign (asked) or a past that counts
    ("Steroid tablets sorted the lot when I was 19. I'm 27 now, off steroids for years.", "oral_steroid_use", "A"),
    ("Months of losing weight back then. I'm 27 now and my weight's back to normal.", "unexplained_weight_loss", "A"),
    ("My toes went white and cold this morning. Right now they're warm and pink.", "cold_pale_foot", "?"),
    # NHS back pain: the back giving gyp, the base of the spine; NHS plantar fasciitis: a limp each morning, a few
    # steps to loosen after sitting; NHS heel pain and Haglund's pages: sore at the rear, where the shoe rubs at the back
    ("My lower back is giving me gyp.", "low_back_pain", "P"),
    ("The base of my spine hurts.", "low_back_pain", "P"),
    ("My heel is giving me gyp.", "low_back_pain", "-"),
    ("Every morning I limp until it warms up.", "first_step_pain", "P"),
    ("After I've been sitting it takes a few steps to loosen.", "first_step_pain", "P"),
    ("My heel is sore at the rear.", "pain_back_of_heel", "P"),
    ("It hurts where my shoe rubs at the back.", "pain_back_of_heel", "P"),
    ("My heel hurts behind my knee.", "pain_back_of_heel", "-"),
    # NHS pins and needles: a foot buzzing, ants crawling; NHS sciatica: the hamstring area, the backside
    ("My foot feels like it's buzzing.", "tingling_pins_needles", "P"),
    ("My foot isn't buzzing.", "tingling_pins_needles", "-"),
    ("Like ants crawling on my foot.", "tingling_pins_needles", "P"),
    ("My hamstring area hurts too.", "buttock_or_thigh_pain", "P"),
    # NHS cancer pages: chemo had, care under an oncologist; an oncology nurse's advice is no history
    ("He's had chemo for his bowel.", "history_of_cancer", "P"),
    ("He's under the oncologist.", "history_of_cancer", "P"),
    ("I've never had chemo.", "history_of_cancer", "A"),
    ("The oncology nurse told me to ring if my back hurt at night.", "history_of_cancer", "-"),
    # NHS fever pages: a high temp, a person burning up (burning feet are no fever); a fever as a child is past
    ("I have a high temp.", "fever", "P"),
    ("I'm burning up.", "fever", "P"),
    ("My feet are burning up.", "fever", "?"),
    ("I had a fever when I was a kid.", "fever", "?"),
    # what was read is what a page says; a statement of the writer's own after ", and" is theirs
    ("I read that numbness between the legs is serious - I don't have that.", "saddle_numbness", "?"),
    ("Read online that heel pain can be a sign of cancer and now it's all I think about.", "history_of_cancer", "?"),
    ("I read that numbness between the legs is serious, and my bum has gone numb since Tuesday.",
     "saddle_numbness", "P"),
    # NHS cellulitis and gout: a heel ballooned and hot; GIRFT CES card: the urge to poo or wee lost, pressing on the
    # tummy to wee; NHS limb ischaemia: toes dusky and cold; NHS necrotising fasciitis: the worst pain, a tiny cut
    ("The heel has ballooned up and it's hot.", "heel_red_hot_swollen", "P"),
    ("I've lost the urge to go for a poo.", "bowel_dysfunction", "P"),
    ("I've lost the urge to wee.", "altered_urinary_sensation", "P"),
    ("I have to push on my tummy to get my wee out.", "bladder_dysfunction", "P"),
    ("The toes are dusky and cold.", "cold_pale_foot", "P"),
    ("It's the worst pain I've ever had and there's only a tiny cut.", "pain_out_of_proportion", "P"),
    ("The worst pain was when I had a kidney stone; today just a small blister.", "pain_out_of_proportion", "?"),
    # a sign said to be fine now in the same sentence, or a worry a clinician has answered, is asked; one still there
    # beside a clinician's hope stays told
    ("Last winter my toes went white with the cold but they're fine now.", "cold_pale_foot", "?"),
    ("I was worried my foot looked pale, but the doctor said the circulation is fine.", "cold_pale_foot", "?"),
    ("My foot went white and cold an hour ago and it's still like that, but the GP said it's probably fine.",
     "cold_pale_foot", "P"),
    # calcaneal stress fracture pages: either side of the heel bone; tarsal tunnel pages: the arch near the inner ankle;
    # Achilles tendinopathy pages: a thick tendon, sore halfway up
    ("It's sore on either side of the heel bone.", "pain_sides_of_heel", "P"),
    ("The inside edge and the outside edge of my heel are both tender.", "pain_sides_of_heel", "P"),
    ("Burning under the arch near the inner ankle bone.", "pain_inner_ankle_to_sole", "P"),
    ("My Achilles is thick and sore halfway up.", "pain_achilles_above_heel", "P"),
    # NHS foot drop, Achilles rupture, back pain, GIRFT CES card, Diabetes UK, necrotising fasciitis, pressure ulcer,
    # tarsal and heel pad pages: families read in general forms
    ("Nan's left foot slaps on the floor when she walks now.", "foot_drop_or_tripping", "P"),
    ("Stepping off the kerb - loud snap at the back of my right heel.", "sudden_onset", "P"),
    ("There's a crack in my left heel that's gone red.", "sudden_onset", "-"),
    ("Back and left buttock killing him.", "low_back_pain", "P"),
    ("Did my lower back in on Tuesday shifting the washing machine.", "low_back_pain", "P"),
    ("Both legs are going weak and numb - a bit worse every single day.", "progressive_weakness", "P"),
    ("The weakness is creeping up both legs.", "bilateral_leg_weakness", "P"),
    ("Huge thirst, peeing loads.", "thirst_or_passing_much_urine", "P"),
    ("It's my right, underneath at the front of the heel.", "pain_under_heel", "P"),
    ("There's a ring of purple blisters round the scrape.", "skin_black_purple_or_blistering", "P"),
    ("The blister has a black centre now.", "skin_black_purple_or_blistering", "P"),
    ("The graze is tiny, pain is massive.", "pain_out_of_proportion", "P"),
    ("The hole's tiny and the skin round it hardly looks pink, but I'm in agony.", "pain_out_of_proportion", "P"),
    ("Can't feel it much with the neuropathy.", "numbness", "P"),
    ("That pressure sore on the back of her left heel has been open 5 weeks.", "foot_sore_not_healing", "P"),
    ("I wet myself in the shop, didn't know till I felt it go cold.", "altered_urinary_sensation", "P"),
    ("Squeezing my left heel between thumb and fingers, inner and outer side together, makes me wince.",
     "pain_sides_of_heel", "P"),
    ("Type 2 and my sugars must be way off.", "diabetes", "P"),
    ("Right foot gone pale and freezing, hurts even sat still.", "pain_at_rest_or_night", "P"),
    ("The squashy middle part under each heel feels bruised.", "pain_centre_of_heel_pad", "P"),
    ("Started in the right leg, now BOTH legs.", "new_bilateral_or_alternating_sciatica", "P"),
    ("Shooting pain down the backs to my heels since last night.", "leg_pain_radiating_below_knee", "P"),
    ("Both legs burning from bum to heels.", "leg_pain_radiating_below_knee", "P"),
    # a word a pattern lets stand between its parts is never the denial itself
    ("The skin around my bottom is not numb.", "saddle_numbness", "A"),
    ("The foot has not turned cold or pale.", "cold_pale_foot", "?"),
    ("His toes have been not white but pink all day.", "cold_pale_foot", "?"),
    ("He is getting no weaker every day.", "progressive_weakness", "A"),
    # NHS Achilles rupture: a sudden tear felt; acute limb ischaemia or a nerve: the leg that stops at once
    ("Stepped off the kerb and felt something rip at the back of my ankle.", "sudden_onset", "P"),
    ("Her leg wouldn't hold her, like someone had pulled the plug.", "sudden_onset", "P"),
    # NHS cauda equina: unable to pee
    ("Since lunch he couldn't squeeze any pee out at all.", "bladder_dysfunction", "P"),
    ("I can't get a single drop of urine out.", "bladder_dysfunction", "P"),
    # NHS sepsis: confused or not with it (asked: a word of the topic)
    ("Mum wasn't really with it this morning and she's burning up.", "new_confusion", "?"),
    # NHS numbness: the touch barely felt, not a pain barely felt now
    ("I can barely feel it when I poke it.", "numbness", "P"),
    ("The pain is better, I can barely feel it now.", "numbness", "-"),
    # NHS fever: temperatures told normal
    ("Temps normal for months.", "fever", "A"),
    # GIRFT CES card: loss of bowel control told as a leak from behind, which is no bladder's
    ("Since the sciatica I keep leaking from behind without feeling it.", "bowel_dysfunction", "P"),
    ("Since the sciatica I keep leaking from behind without feeling it.", "altered_urinary_sensation", "-"),
    ("I leaked and didn't even feel it.", "altered_urinary_sensation", "P"),
    # NHS steroid tablets: a course over ("off them for years")
    ("Had prednisolone tablets for two months; off them for years now.", "oral_steroid_use", "A"),
    # what a form wants to know is its question, not the writer's answer
    ("The form wants to know about night pain - none, I sleep right through.", "pain_at_rest_or_night", "?"),
    # Diabetes UK: more thirsty than usual, answered no
    ("Thirsty? no more than usual.", "thirst_or_passing_much_urine", "A"),
    # NHS Achilles rupture: a loud pop just above the heel
    ("There was a loud pop just above my left heel getting off the bus.", "sudden_onset", "P"),
    # NHS cauda equina: weakness in both legs told of both thighs or calves, and getting worse week on week
    ("Both thighs weak and worse week on week.", "bilateral_leg_weakness", "P"),
    ("Both thighs weak and worse week on week.", "progressive_weakness", "P"),
    ("His calves are both weak.", "bilateral_leg_weakness", "P"),
    ("My leg is no weaker week on week.", "progressive_weakness", "-"),
    # a weakness that went within days is over (asked, never counted)
    ("During the first month both thighs felt weak, so the GP swapped it and that went within a week.",
     "bilateral_leg_weakness", "?"),
    ("The heel pain is worse week on week.", "progressive_weakness", "-"),
    # a family's chat and a relative written to are no relative's illness (NHS sciatica: pain down both legs)
    ("Grandad (79) messaged the family chat: after years of back trouble the pain is now shooting down both legs.",
     "new_bilateral_or_alternating_sciatica", "P"),
    ("Text to my sister, who asked: the ache runs from my buttock down the shin to the ankle.",
     "leg_pain_radiating_below_knee", "P"),
    ("My sister has sciatica down both legs; my heel hurts.", "new_bilateral_or_alternating_sciatica", "?"),
    # NHS back pain: an ache across the low back
    ("An ache across the low back that goes into my right buttock.", "low_back_pain", "P"),
    # GIRFT CES card: the need to pee no longer felt
    ("I've stopped getting the feeling that I need a wee.", "altered_urinary_sensation", "P"),
    # NHS plantar fasciitis: worst with the first steps in the morning
    ("Can barely hobble to the bathroom in the mornings.", "first_step_pain", "P"),
    ("Both heels sore underneath as I set off walking each morning.", "first_step_pain", "P"),
    ("I set off walking each morning feeling fine.", "first_step_pain", "-"),
    # NHS heel pain: the back of the heel told after the heel
    ("Sore heels, both of them, mostly at the back.", "pain_back_of_heel", "P"),
    ("My heel hurts but it's at the back of my mind.", "pain_back_of_heel", "-"),
    # GIRFT CES card: sex without feeling
    ("Since my back went, sex feels like nothing.", "new_sexual_dysfunction", "P"),
    ("I've lost feeling during sex since the sciatica went into both legs.", "new_sexual_dysfunction", "P"),
    # NHS frostbite: dark skin with blisters
    ("The skin over my left Achilles is purple-blue with blisters coming up.", "skin_black_purple_or_blistering", "P"),
    # NHS sciatica: both legs burning from the buttocks
    ("Both legs burn from the buttocks down into the calves.", "new_bilateral_or_alternating_sciatica", "P"),
    # what an independent review of these general forms found they must not do
    ("Wetting myself? No more than before, still happening daily.", "bladder_dysfunction", "P"),
    ("Numb down below? No more than before.", "saddle_numbness", "P"),
    ("Leaking from the back end without knowing it.", "bowel_dysfunction", "P"),
    ("The blister keeps leaking from behind my heel.", "bowel_dysfunction", "-"),
    ("The physio says my calves are weak so she gave me heel raises.", "bilateral_leg_weakness", "-"),
    ("Both feet have weak arches and flat feet.", "bilateral_leg_weakness", "-"),
    ("Both legs ache from the bottom of my feet up to the knees after standing all day.",
     "new_bilateral_or_alternating_sciatica", "?"),
    ("Sex has been different since the baby, and my heels hurt in the morning.", "new_sexual_dysfunction", "?"),
    ("Since I cut out tea I've stopped getting the urge to wee in the night.", "altered_urinary_sensation", "-"),
    ("I felt something burst under my heel - it was the blister.", "sudden_onset", "-"),
    ("It's like someone pulled the plug on my running this year, the heel just gradually got worse.", "sudden_onset",
     "-"),
    ("My foot turned cold and white and it went within minutes from fine to agony.", "cold_pale_foot", "P"),
    ("My bum went numb, and it went within a day from numb to completely dead.", "saddle_numbness", "P"),
    ("Rang 111 and gave them the full rundown - numb down below, both legs weak.", "saddle_numbness", "P"),
    ("My husband wants to know whether his cold pale foot is anything to worry about.", "cold_pale_foot", "P"),
    ("I wrote to my mum about her fever and confusion; my own heel is just sore.", "fever", "?"),
    ("The onset was gradual over six weeks.", "sudden_onset", "A"),
    ("Heel pain since the onset of menopause.", "sudden_onset", "-"),
    ("Mum isn't with us today, she's at work.", "new_confusion", "-"),
    ("My grandad isn't with us anymore and I miss him.", "new_confusion", "-"),
    ("I'm back on pred since March after being off them for years.", "oral_steroid_use", "P"),
    # NHS sepsis and delirium: disorientated, seeing things that are not there
    ("She couldn't tell me the day or even where she lives this morning.", "new_confusion", "P"),
    ("Since the op she's seeing cats that aren't there.", "new_confusion", "P"),
    ("Some moments she doesn't know who I am.", "new_confusion", "P"),
    ("I can't remember the day my heel started hurting.", "new_confusion", "-"),
    # a time gone told by winters back
    ("Two winters back I had cellulitis in this very leg, high fever, drip and all, cleared completely.", "fever", "?"),
    # GIRFT CES card: the warning talk given, quoted, is the speaker's list (asked), and what follows may deny it
    ("The GP gave me the usual talk: numb bum, can't pee - straight to A&E.", "saddle_numbness", "?"),
    ("The GP gave me the usual talk: numb bum, can't pee - straight to A&E. None of that thankfully.",
     "saddle_numbness", "A"),
    # NHS back pain, as people write it: the back as someone's, then how it is within a few words; not the back of
    # something, a way back, or a back told fine
    ("Mum's back has been terrible and now both her legs have gone weak.", "low_back_pain", "P"),
    ("Back's been grumbling too. Does he need seeing soon?", "low_back_pain", "P"),
    ("Since my back flared a fortnight ago my right foot slaps on the road.", "low_back_pain", "P"),
    ("Low back tight since the heavy pulls Thursday.", "low_back_pain", "P"),
    ("The back itself doesn't hurt.", "low_back_pain", "-"),
    ("My back's fine, heel sore.", "low_back_pain", "A"),
    ("It's sore at the back where the stiff heel of the boot sits.", "low_back_pain", "-"),
    ("I came back home and my heel was sore.", "low_back_pain", "-"),
    ("He had to go back to bed, his heel was killing him.", "low_back_pain", "-"),
    ("My back garden is full of stones that hurt my heel.", "low_back_pain", "-"),
    ("The back of the heel is sore.", "low_back_pain", "-"),
    # NHS 111 online, answering for someone else: what a carer is told to watch a relative for is not yet there
    ("The doctor said to watch Grandma (92) for sudden muddling.", "sudden_onset", "?"),
    ("Keep an eye on her for any fever.", "fever", "?"),
    # NHS back pain red flags (pain that stops sleep), cellulitis (a red line up the leg is asked), NHS cancer
    # symptoms (losing weight without trying)
    ("My right leg sciatica is now so bad I can't sleep.", "pain_at_rest_or_night", "P"),
    ("It isn't so bad that I can't sleep.", "pain_at_rest_or_night", "A"),
    ("Today a thin red line runs from it up the inside of his leg.", "rapidly_spreading_redness", "?"),
    ("Weight's dropped too though I'm eating.", "unexplained_weight_loss", "P"),
    ("Weight's dropped but I've been dieting.", "unexplained_weight_loss", "A"),
    # a time gone told by a season, an illness told "fully cleared" (NHS cellulitis: it clears with antibiotics)
    ("I had a fever last winter.", "fever", "?"),
    ("Had a high fever, fully cleared with antibiotics.", "fever", "?"),
    ("Since last winter I have had a fever on and off.", "fever", "P"),
    ("Antibiotics: one lot of levofloxacin three winters back for a bad chest, none since.",
     "quinolone_antibiotic_recent", "?"),
    ("I was on levofloxacin years back for a chest infection.", "quinolone_antibiotic_recent", "?"),
    # NHS cancer symptoms: weight lost "without trying" is the sign, weight lost on purpose is not; NHS diabetes: its
    # signs run through, or a test for it, is not diabetes
    ("Yes I've lost weight, about a stone, but deliberately, slimming club since January.",
     "unexplained_weight_loss", "A"),
    ("GP ran through the diabetes signs with me: I'm not thirsty.", "diabetes", "?"),
    ("The diabetes nurse checks my feet.", "diabetes", "P"),
    # NHS heel pain: the underside or the back of the heel and how it is, in one clause, either way round
    ("Current problem is only a burning under both heels at the end of the day.", "pain_under_heel", "P"),
    ("The underneath of that same left heel burns by teatime.", "pain_under_heel", "P"),
    ("Underneath that heel it's nagging again on dog walks.", "pain_under_heel", "P"),
    ("The PF under my left heel on the first steps.", "pain_under_heel", "P"),
    ("No pain under my heel, it's at the back.", "pain_under_heel", "A"),
    ("The cut under my heel is clean.", "pain_under_heel", "-"),
    ("My heel just aches at the back after rugby, nothing else.", "pain_back_of_heel", "P"),
    ("A new hot, red, swollen lump behind the left heel bone.", "pain_back_of_heel", "P"),
]


@pytest.mark.parametrize(("text", "finding_id", "state"), WORDINGS_IN_GENERAL_FORMS)
def test_wordings_in_general_forms(context, text, finding_id, state):
    test_sentences_an_independent_review_found_read_wrongly(context, text, finding_id, state)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.booleans(), min_size=1, max_size=6))
def test_a_match_inside_a_suppressor_is_dropped_wherever_the_suppressors_fall(context, pains):
    # "can't feel much below the knee" (numbness) holds a "below the knee" that is no pain running there; a
    # sentence of its own that says the pain runs below the knee is read, whatever falls around it
    sentences = ["The pain shoots below the knee." if pain else "He can't feel much below the knee." for pain in pains]
    found = {f.finding_id for f in context.read_text(" ".join(sentences)).findings if f.present}
    assert ("leg_pain_radiating_below_knee" in found) == any(pains)
    assert ("numbness" in found) == (not all(pains))


@pytest.mark.parametrize(("text", "finding_id", "state"), WORDINGS_OF_SITES_AND_ONSETS)
def test_wordings_of_sites_and_onsets(context, text, finding_id, state):
    test_sentences_an_independent_review_found_read_wrongly(context, text, finding_id, state)


@pytest.mark.parametrize(("text", "finding_id", "state"), WORDINGS_OF_PLACES_AND_TIMES)
def test_wordings_of_places_and_times(context, text, finding_id, state):
    test_sentences_an_independent_review_found_read_wrongly(context, text, finding_id, state)


@pytest.mark.parametrize(("text", "finding_id", "state"), WORDINGS_OF_ENGLISHES)
def test_wordings_of_the_englishes_people_write(context, text, finding_id, state):
    test_sentences_an_independent_review_found_read_wrongly(context, text, finding_id, state)


@pytest.mark.parametrize(("text", "age", "sex", "side"), [
    # the twenty-third batch: "Me: 27", a wife then a full stop, a toddler in brackets, "just turned eleven", "34 now",
    # "About Dad (84)", she/her, a pregnancy
    ("Me: 27, male, sore right heel.", 27, "male", "right"),
    ("For the physio, about my wife, 38. Her back went on Sunday.", 38, "female", None),
    ("Our toddler (2) stopped walking yesterday.", 2, None, None),
    ("Our lad has just turned eleven.", 11, None, None),
    ("Type 1 since childhood, 34 now.", 34, None, None),
    ("About Dad (84), who has spinal stenosis.", 84, "male", None),
    ("She/her, 55, on my feet all day.", 55, "female", None),
    ("Since my second pregnancy my feet have gone up a size.", None, "female", None),
    # ages and sexes as forms and parents write them: "just turned", the sex in brackets, a lad in brackets, children
    # counted beside an age
    ("My daughter who's just turned 13 has sore heels.", 13, "female", "both"),
    ("I'm 52 (f) and my L heel hurts.", 52, "female", "left"),
    ("My lad (14) plays football; his right heel hurts.", 14, "male", "right"),
    ("I turned 50 last month; my right heel hurts.", 50, None, "right"),
    ("Woman, 3 kids, both feet.", None, "female", "both"),
    ("Pain score out of 10?\n8, worse first thing in the morning", None, None, None),
    ("10, the pain is unbearable under my heel", None, None, None),
    ("My temperature was 99 F this morning and 102 F tonight", None, None, None),
    ("Fever: 102F", None, None, None),
    ("Right heel pain 3 months. Both Achilles reflexes present", None, None, "right"),
    ("Thirteen, fourteen hour shifts on my feet and my heels are killing me", None, None, "both"),
    ("He's a man of 6'2 with sore heels", None, "male", "both"),  # sore heels: both, and no side from the height
    ("My physio, a lovely chap, says it's plantar fasciitis", None, None, None),
])
def test_readings_and_scores_are_not_ages_and_reflexes_are_not_sides(extract, text, age, sex, side):
    intake = extract(text)
    assert (intake.age, intake.sex, intake.side) == (age, sex, side)


@pytest.mark.parametrize(("text", "denied", "kept"), [
    # a reply to the whole list may come a sentence or two after it, after a lead-in (GIRFT CES symptom card and the
    # NHS cauda equina page's "go to A&E" list, as patients retell them)
    ("After my physio session for sciatica (left leg, down to the ankle) she gave me a list: losing feeling around "
     "your bottom, trouble starting a wee, weakness in both legs - any of those, go straight to A&E. I walk the dog "
     "daily. I read the list again tonight, but honestly I've got none of them.",
     ["saddle_numbness", "bladder_dysfunction", "bilateral_leg_weakness"], "leg_pain_radiating_below_knee"),
    ("The urgent care doc gave me a printout: 'Go to the ER for numbness in the groin, loss of bladder control, or "
     "weakness in both legs.' I've read it three times and I've got none of that. My lower back is sore.",
     ["saddle_numbness", "bladder_dysfunction", "bilateral_leg_weakness"], "low_back_pain"),
    ("The surgeon said go to hospital if my bum goes numb or I can't pee. Thank God none of these.",
     ["saddle_numbness", "bladder_dysfunction"], None),
])
def test_a_reply_to_a_list_of_warning_signs_may_come_after_it(context, text, denied, kept):
    intake = context.read_text(text)
    found = intake.to_case_findings()
    for sign in denied:
        assert found.get(sign) is False, (sign, found.get(sign))
    if kept:  # what the writer has, told before the list's colon, is no condition of it
        assert found.get(kept) is not False


def test_a_questions_no_does_not_deny_what_a_loose_topic_word_stands_for(context):
    """'Weeing loads? No' answers thirst and passing much urine (NICE NG28 patient wording), not bladder control."""
    intake = context.read_text("Drinking loads or weeing loads? No, same as always. My heels hurt underneath.")
    assert intake.to_case_findings().get("bladder_dysfunction") is not False


def test_a_fact_told_before_a_cards_list_is_not_one_of_its_conditions(context):
    """UK Sepsis Trust card wording, with what happened to the writer before the list."""
    intake = context.read_text("The nurse gave me a sepsis card after I cut my heel - slurred speech or "
                               "confusion, extreme shivering. I've got none of those.")
    found = intake.to_case_findings()
    assert found.get("new_confusion") is False
    assert found.get("puncture_wound_or_ulcer") is not False
    assert "puncture_wound_or_ulcer" in context.to_confirm(intake)


@pytest.mark.parametrize(("text", "finding_id"), [
    # "I haven't (yet)" says where the writer went; the condition has happened
    ("The 111 nurse told me to go to A&E if my bum went numb, which it has, but I haven't yet as no one can drive me.",
     "saddle_numbness"),
    ("I was told to go to A&E if I had any numbness down below, and I do have some but I haven't.", "saddle_numbness"),
    ("The GP said if the numbness spreads to my bottom go to A&E, it has spread there but I haven't.", "saddle_numbness"),
    ("The 111 nurse said ring 999 if my foot went cold and white. It hasn't, it's just cold to touch.", "cold_pale_foot"),
    ("The leaflet says ring 999 if your foot goes cold and white. Neither yet but it is cold and pale now.",
     "cold_pale_foot"),
    ("The nurse said ring 999 if my foot goes cold or white. It hasn't, but it does look paler than the other one now.",
     "cold_pale_foot"),
    ("The physio said go to A&E if I get numbness round my bum. I haven't, but there is some numbness when I wipe.",
     "saddle_numbness"),
])
def test_a_reply_about_going_or_a_condition_partly_there_is_not_a_no(context, text, finding_id):
    intake = context.read_text(text)
    assert intake.to_case_findings().get(finding_id) is not False
    assert finding_id in context.to_confirm(intake) or intake.to_case_findings().get(finding_id) is True


@pytest.mark.parametrize("text", [
    "The physio said go to A&E if your bum goes numb or you can't pee. None of those apart from the numb bum.",
    "The leaflet says go to A&E if you can't pee. I haven't been able to pee since last night.",
    "The leaflet says go to A&E if you can't pee. I haven't checked.",
])
def test_a_reply_that_is_not_a_plain_no_leaves_the_advice_asked(context, text):
    intake = context.read_text(text)
    findings = intake.to_case_findings()
    assert findings.get("bladder_dysfunction") is not False
    assert "bladder_dysfunction" in context.to_confirm(intake) or findings.get("bladder_dysfunction") is True


def test_an_accident_in_ones_pants_is_asked_about_bladder_and_bowel():
    pytest.importorskip("medspacy")
    context = heelpath.load()
    intake = context.read_text("I had an accident in my pants at work today.")
    assert {"bladder_dysfunction", "bowel_dysfunction"} <= set(context.to_confirm(intake))


@pytest.mark.parametrize("text", ["Numbness on the bottom of my feet.", "My foot is numb on the bottom.",
                                  "The bottom of my heel feels numb.", "Tingling in the bottom of my foot."])
def test_the_bottom_of_the_foot_is_not_the_saddle(extract, text):
    assert "saddle_numbness" not in answers(extract, text)


def test_a_leak_that_is_not_urine_is_a_question_not_a_bladder_problem(extract):
    intake = extract("There's a little hole under my heel that keeps leaking clear watery stuff.")
    assert intake.to_case_findings().get("puncture_wound_or_ulcer") is True
    assert "bladder_dysfunction" not in intake.to_case_findings()
    assert any(f.finding_id == "bladder_dysfunction" and not f.asserted for f in intake.findings)


def test_a_test_named_without_a_result_is_not_answered(extract):
    intake = extract("Thompson test done.")
    assert [f.modifier for f in intake.findings] == ["uncertain"]
    assert intake.to_case_findings() == {}


# --- family history and the past ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My mum has ankylosing spondylitis.", {"family_history_spa": True}),
        ("My dad has psoriasis.", {"family_history_spa": True}),
        ("FHx: father AS.", {"family_history_spa": True}),
        ("Psoriasis runs in the family.", {"family_history_spa": True}),
        ("No family history of psoriasis or Crohn's.", {"family_history_spa": False}),
        ("My mother had breast cancer.", {}),
        ("I have psoriasis and my dad has Crohn's disease.", {"psoriasis": True, "family_history_spa": True}),
    ],
)
def test_relatives_conditions_give_family_history_not_patient_findings(extract, text, expected):
    assert answers(extract, text) == expected


def test_family_mentions_are_shown_with_the_family_modifier(extract):
    intake = extract("My mother had breast cancer.")
    assert [(f.finding_id, f.modifier, f.asserted) for f in intake.findings] == [
        ("history_of_cancer", "family", False)
    ]


def test_the_patient_speaking_ends_a_relatives_scope(extract):
    found = answers(extract, "My mother has psoriasis and I get pins and needles in my foot.")
    assert found == {"family_history_spa": True, "tingling_pins_needles": True}


def test_past_symptoms_are_not_answered_but_past_diseases_are(extract):
    assert answers(extract, "I had sciatica years ago but that has settled.") == {}
    assert answers(extract, "PMH: previous breast ca 2015, T2DM.") == {
        "history_of_cancer": True,
        "diabetes": True,
    }


@pytest.mark.parametrize("text", [
    "Had a fever on Monday but it's back to normal now.",
    "Had a temperature on Monday, back to normal now.",
    "Had a temperature on Monday but that's passed.",
    "I had a fever, not anymore.",
    "Had a fever at the weekend which has disappeared.",
    "Had a high temperature on Sunday, fine since.",
])
def test_a_warning_sign_said_to_be_over_is_asked_not_asserted(context, text):
    # resolved past events (NHS sepsis and fever pages: "a high temperature" now, not one that has gone)
    intake = context.read_text(text)
    assert "fever" not in intake.to_case_findings()
    assert "fever" in context.to_confirm(intake)


# a sign told over after "but", a wound healed, a relative's sign set against the writer's own, a list read online, a
# precaution (NHS sciatica, frostbite, cellulitis and cauda equina pages, as people tell their past and their fears)
@pytest.mark.parametrize(("text", "finding_id"), [
    ("When I was pregnant I had sciatica in both legs, but that's long gone.", "new_bilateral_or_alternating_sciatica"),
    ("My foot was cold after the swim but warmed up in minutes.", "cold_pale_foot"),
    ("I had a small cut on the heel but it healed.", "puncture_wound_or_ulcer"),
    ("Dad's foot went black before his amputation. Mine is fine.", "skin_black_purple_or_blistering"),
    ("I googled cauda equina: numb bum, can't pee, weak legs. None of that applies to me.", "saddle_numbness"),
    ("I keep the card in my purse in case my legs go weak.", "bilateral_leg_weakness"),
    # the writer's usual, not new (NICE NG17 and NG12: new thirst; NHS Raynaud's)
    ("I'm always thirsty when I run, normal for me.", "thirst_or_passing_much_urine"),
    ("My toes go white in the cold, it's Raynaud's, I've had it for years.", "cold_pale_foot"),
])
def test_a_sign_over_read_about_or_guarded_against_is_asked_not_counted(context, text, finding_id):
    intake = context.read_text(text)
    assert intake.to_case_findings().get(finding_id) is None
    assert finding_id in context.to_confirm(intake)


@pytest.mark.parametrize(("text", "finding_id"), [
    ("The cut on my heel has not healed yet.", "foot_sore_not_healing"),
    ("In case it helps, I can't feel my bum when I wipe.", "saddle_numbness"),
    ("I'm very thirsty and weeing all the time, nothing new with my heel though.", "thirst_or_passing_much_urine"),
    ("Back in March my legs went weak but now I can't feel my bum.", "saddle_numbness"),
    # a time gone by ends at a word of the present, punctuated or not
    ("I had sciatic are down both legs back in march but that all settled months ago now its just my heels hurting for "
     "the first few steps in the morning", "first_step_pain"),
])
def test_a_sign_told_now_beside_a_past_or_a_precaution_is_there(context, text, finding_id):
    assert context.read_text(text).to_case_findings().get(finding_id) is True


@pytest.mark.parametrize(("text", "finding_id"), [
    ("I can't feel down below and my leg is back to normal.", "saddle_numbness"),
    ("My bladder won't be back to normal until they operate, I can't pee.", "bladder_dysfunction"),
    ("It has passed down into my left leg and I have a fever.", "fever"),
])
def test_something_else_back_to_normal_leaves_a_present_sign_present(extract, text, finding_id):
    assert answers(extract, text)[finding_id] is True


def test_a_symptom_that_stopped_is_answered_absent(extract):
    assert answers(extract, "Years ago I used to get pins and needles but not any more.") == {
        "tingling_pins_needles": False
    }


# --- laterality ------------------------------------------------------------------------------------


def test_heel_side_and_finding_side_are_read(extract):
    intake = extract("The pain is under my left heel.")
    assert intake.side == "left"
    assert intake.to_case_findings() == {"pain_under_heel": {"present": True, "side": "left"}}


@pytest.mark.parametrize(("text", "side"), [
    # the side of the heel in more forms (the tenth batch's registers; NHS plantar fasciitis: one or both heels)
    ("So it's only the heel - the left one.", "left"),
    ("Now it's just ordinary heel pain, the right one.", "right"),
    ("These days the problem is my heels - both ache underneath.", "both"),
    ("Latest thing: both Achilles insertions are tender.", "both"),
    ("Started in the left heel in spring; by summer the right had joined in.", "both"),
    # the side said alone at a clause's end, or the other heel joining in (a review of everyday messages)
    ("I'm a 66 year old lady, my heel hurts where it touches the floor, the left one.", "left"),
    ("hurts under heel first thing, like i have a pebble there. right. 31", "right"),
    ("I've had sore heels - underneath - for a month. Both.", "both"),
    ("Left heel sore underneath, and the right one too.", "both"),
    ("It began in my left heel, now it's in both.", "both"),
    ("It's plantar fasciitis, right? Under the heel.", None),
    # a side denied beside the one that hurts; a "not" that denies something else leaves the side
    ("Not the left heel, the right one. It hurts underneath.", "right"),
    ("It isn't the right heel, it's the left one.", "left"),
    ("Walking has helped the weight but not my right heel, which is sharp underneath.", "right"),
    ("lower back been achy for months & now my left heel too, underneath.", "left"),
    # a side said alone after "just"; heels that hurt, in the plural
    ("Just my left. The back of the heel is stiff each morning.", "left"),
    ("Losing weight and sore heels, back then.", "both"),
    ("The heels twinge underneath after long shifts.", "both"),
    ("legs feel heavy. heels sore underneath on both sides", "both"),
    ("The squashy middle part under each heel feels bruised.", "both"),
    ("pins and needles in my left sole, comes and goes.", "left"),
])
def test_the_heel_side_in_more_words(extract, text, side):
    assert extract(text).side == side


def test_both_heels_set_the_bilateral_finding(extract):
    intake = extract("Both heels hurt in the morning.")
    assert intake.side == "both"
    assert intake.to_case_findings()["bilateral_heel_pain"] is True


# the side of a leg or foot complaint, in the words of the NHS sciatica and cauda equina pages
# ("sciatica in both legs", "it comes and goes in one leg then the other")
@pytest.mark.parametrize(
    ("text", "limb_side", "case_side"),
    [
        ("Sciatica down my left leg into my foot for a month.", "left", "left"),
        ("LBP radiating to L post thigh and calf.", "left", "left"),
        ("My right foot slaps down when I walk.", "right", "right"),
        ("Sore spot just above my heel, about where my socks end, on the left - the tendon feels thick.", "left", "left"),
        ("Initially L leg pain to lat foot, since yesterday bilat, R<L.", "both", None),
        ("Sciatica started in my right leg and now it's in the other leg too.", "both", None),
        ("The sciatica keeps switching sides.", "both", None),
        ("Pain shooting down both legs from my lower back.", "both", None),
        ("Pain right down my leg to the heel.", None, None),  # "right" as an adverb
        ("My legs have gone to jelly since this morning and keep giving way.", "both", None),
        ("just bog standard sciatica L side from my bum to my ankle.", "left", "left"),
        ("Achilles pain R side, 4 cm above the insertion.", "right", "right"),
        ("Two spots, the back of the heel and higher up. Both on the right.", "right", "right"),
        ("Pain on the left side of my back.", None, None),
        ("Three of his right toes went dusky.", "right", "right"),
        ("Both knees keep buckling when I walk.", "both", None),
        ("I sleep on my right side and my heel hurts.", None, None),
        # "now" in a clinic note marks a change, not the other leg named in a later sentence
        ("2/52 L sciatica to heel. Over last 3 days push-off weakening, now can't walk on L toes. R leg fine.",
         "left", "left"),
    ],
)
def test_the_side_of_a_leg_or_foot_complaint(extract, text, limb_side, case_side):
    intake = extract(text)
    assert intake.side is None and intake.limb_side == limb_side
    assert intake.to_case().get("side") == case_side  # two legs are not two painful heels
    assert "bilateral_heel_pain" not in intake.to_case_findings()


def test_a_heel_side_wins_over_the_leg_side(extract):
    intake = extract("Pain under my right heel, and some sciatica in my left leg.")
    assert intake.side == "right" and intake.limb_side is None


def test_each_finding_keeps_its_own_side(extract):
    found = answers(extract, "Pain at the back of my left heel, pain in my right buttock.")
    assert found == {
        "pain_back_of_heel": {"present": True, "side": "left"},
        "buttock_or_thigh_pain": {"present": True, "side": "right"},
    }


@pytest.mark.parametrize(
    ("text", "finding_id", "side"),
    [
        ("AJ: R 2+, L 0.", "ankle_reflex_reduced", "left"),
        ("SLR R 30°, L 90°.", "slr_positive", "right"),
        ("Bilat AJ absent.", "ankle_reflex_reduced", "both"),
        ("Heel raise test: unable on R.", "difficulty_heel_raise", "right"),
        ("Straight leg raise positive on the left at 45 degrees.", "slr_positive", "left"),
        (
            "Plantar flexion weakness R: only 3 heel raises compared with 15 on the L.",
            "plantar_flexion_weakness",
            "right",
        ),
    ],
)
def test_sides_in_clinic_shorthand(extract, text, finding_id, side):
    assert answers(extract, text)[finding_id] == {"present": True, "side": side}


def test_right_as_an_adverb_is_not_a_side(extract):
    intake = extract("Pain going from my left buttock right down the back of my leg into my heel.")
    radiating = [f for f in intake.findings if f.finding_id == "leg_pain_radiating_below_knee"]
    assert radiating and radiating[0].side == "left"
    assert intake.side == "left"


# --- shorthand, numbers, age and sex ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "weeks"),
    [
        ("Heel pain for 3 months.", 13.0),
        ("3/12 hx R heel pain.", 13.0),
        ("L heel pain x 6/52.", 6.0),
        ("I've had this heel pain for about a year now.", 52.0),
        ("It started three weeks ago after a long hike.", 3.0),
        ("Heel pain for 10 days.", 1.4),
        ("Heel pain for 2 weeks. Diabetic for 10 years.", 2.0),
    ],
)
def test_duration_in_weeks(extract, text, weeks):
    assert extract(text).duration_weeks == weeks


@pytest.mark.parametrize(
    "text",
    [
        "Diabetic for 15 years.",
        "Review in 2/52.",
        "Oral prednisolone 20 mg daily for 2 months.",
        "Periods stopped 6 months ago.",
    ],
)
def test_durations_of_other_things_are_not_taken(extract, text):
    assert extract(text).duration_weeks is None


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("EMS>1hr.", 60),
        ("Morning stiffness about 90 minutes.", 90),
        ("I'm stiff for a good couple of hours every morning.", 120),
    ],
)
def test_morning_stiffness_minutes(extract, text, minutes):
    intake = extract(text)
    assert intake.morning_stiffness_minutes == minutes
    assert intake.to_case_findings()["morning_stiffness_minutes"] == minutes
    assert "first_step_pain" not in intake.to_case_findings()


@pytest.mark.parametrize(
    ("text", "age", "sex"),
    [
        ("45M, R heel pain.", 45, "male"),
        ("Pt is a 38 yo F.", 38, "female"),
        ("I am a 35 year old woman.", 35, "female"),
        ("I am sixty-two years old.", 62, None),
        ("I'm male, 60.", 60, "male"),
        ("26 year old woman, onset age 22.", 26, "female"),
        # ages and sexes written beside who one is (cases/lay_texts, third batch); new sentences
        ("My lad is 9 and his heels hurt after rugby.", 9, "male"),
        ("My daughter's 12, sore heels after gym.", 12, "female"),
        ("Mrs K is 79 and her foot has gone cold.", 79, "female"),
        ("Builder, bloke, 52.", 52, "male"),
        ("I'm 33 (F) and my heel hurts.", 33, "female"),
        ("I'm in my 70s and my heel aches.", 75, None),
        ("Carer here for Mrs L (89).", 89, "female"),
        ("Writing for my wife (she's 38).", 38, "female"),
        ("My son have 11 years, he play football.", 11, "male"),
        ("Heel sore, 71 yrs young!", 71, None),
        # referral letters and messages (cases/lay_texts, sixth batch's forms); new sentences
        ("Thank you for seeing Mr T. Okafor, 61, with heel pain.", 61, "male"),
        ("I am from Poland, 49 years. The heel hurts.", 49, None),
        ("back sore since friday. 31f", 31, "female"),
        ("I can walk 50m. Then my calf hurts.", None, None),
        # forum posts and parents (seventh batch's registers); new sentences
        ("My 14 yr old daughter trod on a nail.", 14, "female"),
        ("My 11 year old landed on his heels.", 11, "male"),
        ("My 17 yo tore something. She can't walk on it.", 17, "female"),
        ("I'm 19, F. Sore heels.", 19, "female"),
        ("Pregnant with twins, both heels ache.", None, "female"),
        ("My wife is pregnant and my heel hurts.", None, None),
        # how people say who they are (NHS 111 online and forum posts)
        ("Turning 50 on Saturday and celebrating with a sore left heel.", 49, None),
        ("I'll be 40 next week.", 39, None),
        ("Turning 50 minutes into the run my heel went.", None, None),
        ("Man, in my twenties. Stiff, achy lower back every morning.", 25, "male"),
        ("I'm a bloke of 40, bit overweight.", 40, "male"),
        ("Gran here (72). My right heel is sore at the back.", 72, "female"),
        ("m 26. been drinking water loads.", 26, "male"),
        ("Nan has psoriatic arthritis. 19, F, dancer.", 19, "female"),
        ("Type 2 diabetic, 73, bad circulation.", 73, None),
        ("Not easy to write this. 52, married.", 52, None),
        ("Eleven-year-old lad, plays rugby every Saturday.", 11, "male"),
        ("The lad on reception was kind. My heel hurts.", None, None),
        ("Dad was very confused at Christmas. Today he's 81 and grumbling about his left heel.", 81, "male"),
        ("Left heel, 3 weeks, worse in the morning.", None, None),
        ("The pain in my heel can be 8 on a bad day.", None, None),
        ("My heel is stiff for 20, 30, sometimes 40 minutes in the morning.", None, None),
        ("My husband is fed up of me moaning about my heel.", None, None),
        ("28 weeks pregnant with my second. Is it normal to be this thirsty?", None, "female"),
        ("Had my baby 3 weeks ago and both heels are sore.", None, "female"),
        ("I'm going through the menopause.", None, "female"),
        ("Recep: pt asking if she needs to be seen today for her heel.", None, "female"),
        ("Reception note: pt phoned about his back. Pt is 52.", 52, "male"),
        ("Fella, 45, drink more than I should.", 45, "male"),
        ("Parent here. Our boy is eleven and rugby mad.", 11, "male"),
        ("Writing for my father, who is 90 next month.", 89, "male"),
        ("My daughter is one of the best in her class.", None, None),
        ("My mum had ovarian cancer. I'm a 40 year old man with heel pain.", 40, "male"),
        ("My wife is 28 weeks pregnant so I'm doing all the standing.", None, None),
        ("I had my daughter take a photo of my heel for you.", None, None),
        ("I'm a patient at the clinic, my physio says she thinks it's plantar fasciitis.", None, None),
        # a relative's own pronoun is theirs; the one left is the patient's
        ("Pt's wife called, she says he can't feel his legs properly.", None, "male"),
        ("Pt is 2/52 post op, wound clean.", None, None),
        ("Pt is 100 percent weight bearing.", None, None),
        ("My son is ten minutes away if I need him.", None, None),
        ("I look after my mum who is 90 next month so I'm on my feet all day.", None, None),
        ("Pt is 6 foot 2 and 110kg.", None, None),
        ("My daughter is three and I carry her everywhere. I'm 34.", 34, None),
        ("My mum had treatment for ovarian cancer last year. I'm a 45 year old man with a sore heel.", 45, "male"),
        ("Pt was seen by Dr Patel and she has advised night splints.", None, None),
        ("Pt has a daughter, she drives him to appointments.", None, "male"),
        ("My grandmother had her leg amputated, so I check my feet.", None, None),
        # ages and sexes as people give them on online consultation forms and for someone else (NHS 111 online,
        # "answering for someone else"): the writer's age beside the patient's, an age closing the text, an age about
        # to be reached, in words, "he"/"she" in a text about someone else, a working man or a widower in one word
        ("I'm 41 and my daughter, 11, has sore heels after gymnastics.", 11, "female"),
        ("Dad is 79, I'm 50. His left heel hurts underneath.", 79, "male"),
        ("My daughter is 14 and I'm 44; it's me with the heel pain, left one, underneath.", 44, None),
        ("Asking for my partner, he's 48, pain at the back of his heel.", 48, "male"),
        ("Ringing for my mum, who's 79. Her legs won't carry her.", 79, "female"),
        ("Right foot, 53.", 53, None),
        ("Pain under heel. 53.", 53, None),
        ("I'll be 40 in June and my right heel hurts underneath.", 39, None),
        ("I'm 80 in March and my left heel aches underneath.", 79, None),
        ("At 47 I didn't expect sore heels.", 47, None),
        ("Just turned 50 and my heel is sore on the bottom.", 50, None),
        ("I'm sixty-two and my heel hurts underneath.", 62, None),
        # a relative's age in words, a grandparent by the names people use, a relative named after "about"
        ("Our gran is seventy-seven. She was given a night splint for her right heel.", 77, "female"),
        ("Care home rang about Mum (88). Her heel is sore.", 88, "female"),
        ("dad 68: huge thirst, peeing loads, and tonight he's muddled.", 68, "male"),
        ("teen son 15 - kicked on the heel at rugby last wk.", 15, "male"),
        ("Our kiddo (8) has a sore heel after PE.", 8, None),
        ("loud snap at the back of my right heel, can barely walk on it. sixty-six, usually fit as a fiddle", 66, None),
        ("Age forty-seven, sore heel underneath.", 47, None),
        ("Retired postman, 81, on my own since Jean died.", 81, "male"),
        ("Postmenopausal, 56, pain under my left heel.", 56, "female"),
        ("Her foot's cold and white. She's 81 and it started an hour ago.", 81, "female"),
        ("Wife here typing for him - Dave's heel wound has gone hot.", None, "male"),
        ("The nurse said she would ring back. My heel is sore.", None, None),
        ("Had cervical cancer at 34, treated, nothing since.", None, "female"),
        # the age opening a text, a relative with the age in brackets
        ("17, play varsity basketball. went up for a rebound", 17, None),
        ("thirteen, netball 3x a week.", 13, None),
        ("Never thought I'd say this as a bloke of fifty-eight.", 58, "male"),
        ("Right heel, the bottom of it. 55, fella.", 55, "male"),
        ("A fellow runner told me to stretch.", None, None),
        ("Grandad (92) says the pads of both his heels have worn thin.", 92, "male"),
        ("3, maybe 4 weeks of heel pain.", None, None),
        # a temperature is not an age and sex ("101.5 F", "I'm 38.5")
        ("My temp is 101.5 F.", None, None),
        ("Temp 101 F, shivering.", None, None),
        ("I'm 38.5 and shivering.", None, None),
        ("So far it's the same size and I'm 36.8.", None, None),
        ("44F, L heel pain.", 44, "female"),
        # ages in notes written by and for others (carers' notes, online consultation forms, pharmacy messages: NHS 111
        # online "answering for someone else"): a relative or a name after a note's heading, in brackets or between
        # commas, a decade, an age about to be reached, an age as spoken
        ("Son's note: Dad (88) looks thinner to us.", 88, "male"),
        ("Husband's note: Gwen, 64. It began in the right heel.", 64, None),
        ("Room 4 - Mrs Ada Lindqvist (90): says her seat feels dead.", 90, "female"),
        ("Partner writing for Jo (37, she/her): since the disc flared.", 37, "female"),
        ("For the physio, from his mum: Tom is 15. His right heel hurts at the back.", 15, "male"),
        ("lady buying pads for her husband Kev, 49. Since his back went he's leaking wee.", 49, "male"),
        ("Postie, 33. Pain down my left leg.", 33, None),
        ("Reply to the thread: ex-smoker, 63. My left foot is cold.", 63, None),
        ("In my 60s. Burning under the sole.", 65, None),
        ("Man in his forties, keeps goal on Sundays.", 45, "male"),
        ("My neighbour, in her eighties, knocked on my door.", 85, "female"),
        ("My wife, in her fifties, has had pain under her right heel.", 55, "female"),
        ("Grandad here, pushing 80. The right heel catches me.", 79, "male"),
        ("Sixty-odd and on my feet all day.", 60, None),
        ("Sixty-eight and still up the allotment most days.", 68, None),
        ("Mum's eighty, diabetic, did a sponsored walk.", 80, "female"),
        ("Hubby's forty-four and won't book himself in.", 44, "male"),
        ("Message from the care home: your mother (91) became suddenly confused.", 91, "female"),
        ("asking for my mate, bad back for a month. hes 31.", 31, "male"),
        ("Writing for Nan, she's eighty four and diabetic.", 84, "female"),
        # ... and what is not an age, or not the patient's
        ("Amitriptyline (10) at night, no help.", None, None),
        ("Monday, 12. Heel sore.", None, None),
        ("Pain score, 7.", None, None),
        ("Nearly 50 steps to the loo and my heel hurts.", None, None),
        ("I ran nearly 20 miles.", None, None),
        ("In my twenties I broke my leg. My heel hurts now.", None, None),
        ("My brother is in his forties and has AS. My heels hurt.", None, None),
        ("The doctor said to watch Grandma (92) for sudden muddling.", 92, "female"),
        ("Proper trainers help. 39, he/him.", 39, "male"),
        ("I've had erection trouble for about 5 years, since starting my blood pressure tablets.", None, "male"),
    ],
)
def test_age_and_sex(extract, text, age, sex):
    intake = extract(text)
    assert (intake.age, intake.sex) == (age, sex)


def test_to_case_carries_age_sex_side(extract):
    case = extract("45M with R heel pain for 3 months, worse first steps in the morning.").to_case()
    assert case == {
        "age": 45,
        "sex": "male",
        "side": "right",
        "findings": {"first_step_pain": True, "duration_weeks": 13.0},
    }


# --- long notes and nothing found -------------------------------------------------------------------

LONG_NOTE = """Primary care consultation 14/03.
PC: L heel pain.
HPC: 47 yo male teacher, 5/12 history of pain in the L heel, worst with the first steps in the morning,
now also pain shooting from the L buttock down the back of the thigh and calf to the heel. Worse with
coughing. Denies bladder or bowel dysfunction, denies saddle anaesthesia. No fever, no weight loss.
PMH: hypertension, gout (2018), appendicectomy. No history of cancer.
DH: amlodipine 5 mg od, allopurinol 100 mg od, omeprazole 20 mg. NKDA.
SH: non-smoker, drinks 10 units/week, walks the dog daily.
O/E: BP 142/88, HR 76, RR 14, SpO2 98%. SLR L 35 deg. L AJ absent, R AJ normal. Windlass negative.
Plan: MRI L-spine, physio, safety-netting re cauda equina, review 4/52."""


def test_long_messy_note(extract):
    intake = extract(LONG_NOTE)
    assert (intake.age, intake.sex, intake.side, intake.duration_weeks) == (47, "male", "left", 21.7)
    assert intake.to_case_findings() == {
        "first_step_pain": True,
        "shooting_electric_pain": {"present": True, "side": "left"},
        "buttock_or_thigh_pain": {"present": True, "side": "left"},
        "leg_pain_radiating_below_knee": {"present": True, "side": "left"},
        "pain_worse_cough_sneeze": True,
        "bladder_dysfunction": False,
        "bowel_dysfunction": False,
        "saddle_numbness": False,
        "fever": False,
        "unexplained_weight_loss": False,
        "gout_or_crystal_attacks": True,  # PMH gout, on allopurinol
        "history_of_cancer": False,
        "smoker": False,
        "slr_positive": {"present": True, "side": "left"},
        "ankle_reflex_reduced": {"present": True, "side": "left"},
        "windlass_test_positive": False,
        "duration_weeks": 21.7,
    }


@pytest.mark.parametrize(
    "text", ["", "   \n ", "I have a cold.", "BP 128/76, HR 72, SpO2 98% RA. Bloods: Hb 134."]
)
def test_text_with_nothing_to_read_says_so(extract, text):
    intake = extract(text)
    assert intake.unmatched is True
    assert intake.findings == []
    assert intake.to_case_findings() == {}
    assert intake.message


def test_matched_text_and_offsets_point_into_the_input(extract):
    text = "Heel pain, no tingling."
    for finding in extract(text).findings:
        assert text[finding.start : finding.end] == finding.text


# --- the answers are a valid case ---------------------------------------------------------------------


def test_answers_validate_as_a_case(extract):
    from heelpath.knowledge import load_kb
    from heelpath.services.case import Case, to_evidence

    case = extract(LONG_NOTE).to_case()
    evidence = to_evidence(load_kb(), Case.from_data({"setting": "primary_care", **case}))
    assert evidence.answers["ankle_reflex_reduced"] is True
    assert evidence.answers["saddle_numbness"] is False
    assert evidence.numbers["duration_weeks"] == 21.7


def test_a_present_mention_wins_over_an_absent_one_and_sides_combine():
    def mention(present: bool, side):
        return ExtractedFinding(
            "tingling_pins_needles",
            present,
            side,
            "tingling",
            0,
            8,
            "affirmed" if present else "negated",
            True,
        )

    intake = TextIntake(
        text="", findings=[mention(False, None), mention(True, "left"), mention(True, "right")]
    )
    assert intake.to_case_findings() == {"tingling_pins_needles": {"present": True, "side": "both"}}


def test_unasserted_mentions_give_no_answers():
    intake = TextIntake(
        text="",
        findings=[ExtractedFinding("fever", True, None, "fever", 0, 5, "uncertain", False)],
    )
    assert intake.to_case_findings() == {}


# --- wording families added with the holdout3 set --------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My back grumbles but nothing goes down my leg.", {"leg_pain_radiating_below_knee": False}),
        ("I no longer get the tingling in my toes.", {"tingling_pins_needles": False}),
        ("The tendon above my heel is fine.", {"pain_achilles_above_heel": False}),
        ("There's no lump there.", {"bump_back_of_heel": False}),
        ("It came on slowly over a few weeks.", {"sudden_onset": False}),
        ("My legs feel strong.", {"bilateral_leg_weakness": False}),
    ],
)
def test_negations_said_with_nothing_no_longer_fine_and_gradual(extract, text, expected):
    found = answers(extract, text)
    for finding_id, value in expected.items():
        assert found.get(finding_id) == value, (text, found)


def test_nothing_that_helps_is_not_a_negation(extract):
    assert answers(extract, "Nothing helps the pain at night.").get("pain_at_rest_or_night") is True


@pytest.mark.parametrize(
    ("text", "finding_id"),
    [
        ("It is worse if I walk barefoot on the bathroom tiles.", "pain_worse_barefoot_hard_surface"),
        ("The underside of my heel aches.", "pain_under_heel"),
        ("The pain is under the front part of my heel.", "pain_under_heel"),
        ("It's sore where my achilles attaches to the heel bone.", "pain_back_of_heel"),
        ("Going uphill makes it worse.", "pain_with_activity"),
        ("My heel throbs towards the end of a long shift.", "pain_after_prolonged_standing"),
        ("It hurts after an hour standing at the counter.", "pain_after_prolonged_standing"),
        ("My lower back has been niggling.", "low_back_pain"),
        ("My work boots dig into the back of it.", "shoe_rubbing_back_of_heel"),
        ("Pain medial L ankle into the arch.", "pain_inner_ankle_to_sole"),
        ("Night cramps in the foot.", "pain_at_rest_or_night"),
        ("Painful to weight-bear since.", "pain_on_weight_bearing_progressive"),
        ("Instant heel pain after stepping down off a kerb.", "sudden_onset"),
        ("Instant heel pain after stepping down off a kerb.", "recent_trauma"),
        ("MRI: stress fracture L os calcis.", "mri_calcaneal_bone_stress"),
        ("US R heel: PF thickness 6.1mm.", "ultrasound_plantar_fascia_thick"),
        ("MRI: lesions in the lumbar vertebral bodies.", "imaging_vertebral_lesion"),
        ("Acute onset LBP, saddle (perineal) anaesthesia.", "saddle_numbness"),
    ],
)
def test_locations_conditions_and_shorthand_in_other_words(extract, text, finding_id):
    assert answers(extract, text).get(finding_id) in (True, {"present": True, "side": "left"},
                                                      {"present": True, "side": "right"}), text


@pytest.mark.parametrize(
    ("text", "absent", "not_read"),
    [
        (
            "Sensation intact. Power 5/5 throughout.",
            ["s1_sensory_loss", "l5_sensory_loss", "plantar_nerve_sensory_loss", "plantar_flexion_weakness", "ehl_weakness"],
            [],
        ),
        ("Intrinsic foot muscles normal bulk and power.", ["adm_weakness_or_atrophy"], []),
        ("Perianal sensation normal.", ["perianal_sensory_loss_or_reduced_anal_tone"], ["s1_sensory_loss"]),
        ("Saddle region sensation preserved.", ["saddle_numbness"], ["s1_sensory_loss"]),
    ],
)
def test_normal_examination_shorthand_denies_the_findings_it_covers(extract, text, absent, not_read):
    found = answers(extract, text)
    for finding_id in absent:
        assert found.get(finding_id) is False, (text, finding_id, found)
    for finding_id in not_read:
        assert finding_id not in found, (text, finding_id, found)


def test_a_finding_with_its_own_result_beats_a_blanket_normal_exam(extract):
    found = answers(extract, "Sensation intact apart from reduced sensation lateral border of foot.")
    assert found["s1_sensory_loss"] is True
    assert found["l5_sensory_loss"] is False


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("R foot pain, plantar heel, 6 wks.", "right"),
        ("Heel pain L, 3/12.", "left"),
        ("It's my right foot that hurts, at the back.", "right"),
        # told as before and now, the present side counts (NHS plantar fasciitis: it can affect one or both feet)
        ("Both heels at first, now it's just the left one. Underneath.", "left"),
        # the other side joining in now: both (a review of heel sites)
        ("Started with the left heel, now the right heel too.", "both"),
        ("Started in the right heel in January and now the other foot is doing it too.", "both"),
        ("Last winter it was the left heel, this winter it's the right one.", "right"),
        ("Had it in my left heel last year and it cleared. Now it's the right heel.", "right"),
        ("It started in my right heel and now both heels hurt.", "both"),
        ("Left heel sore underneath for 3 weeks now.", "left"),
        ("It's just this heel, the left one, sore underneath.", "left"),
        ("Pain in my right heel for 6 weeks now. I had the same in my left heel two years ago.", "right"),
        ("Left heel pain since March, and now the right heel has started too.", "both"),
        ("My left heel is agony at the moment, the right heel is fine.", "left"),
        ("Right heel was bad last year but settled. Now it's the other foot. The left heel is agony.", "left"),
        ("I had it in my right heel two years ago. Now it's back. It's in the left heel this time.", "left"),
        ("Had right heel pain last year which settled, this time it's the left heel and it's worse.", "left"),
        ("It started in my right heel but it's in the left heel this time.", "left"),
        ("My left heel has been sore for months and now the other foot has started too.", "both"),
        ("Pain in the left heel. Now the other foot is swollen from overcompensating.", "left"),
        ("My right heel is killing me. I had the same thing in my left heel at this time last year.", "right"),
    ],
)
def test_heel_side_from_a_painful_foot_or_a_side_after_heel_pain(extract, text, side):
    assert extract(text).side == side


def test_a_side_with_an_unrelated_foot_complaint_is_not_the_heel(extract):
    assert extract("He has been tripping over his right foot.").side is None


def test_a_fortnight_is_two_weeks(extract):
    assert extract("My heel has hurt for the past fortnight.").duration_weeks == 2.0


# --- long texts: read in blocks, in time linear in their length ---------------------------------------

@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("ab .;!?\n")), max_size=400), size=st.integers(5, 60))
def test_blocks_cover_the_text_in_order_and_keep_to_the_size(text, size):
    blocks = text_blocks(text, size)
    assert "".join(block for _, block in blocks) == text
    assert all(offset == sum(len(b) for _, b in blocks[:i]) for i, (offset, _) in enumerate(blocks))
    assert all(len(block) <= size for _, block in blocks)


def test_a_block_ends_after_a_sentence_when_it_can():
    blocks = text_blocks("Heel pain. " * 10, 25)
    assert all(block.endswith(". ") for _, block in blocks[:-1])


def test_a_long_note_reads_as_its_parts(extract):
    copies = "\n\n".join([LONG_NOTE] * 5)  # several blocks
    assert len(copies) > 2 * BLOCK_CHARS
    long, one = extract(copies), extract(LONG_NOTE)
    assert {(f.finding_id, f.present) for f in long.findings} == {(f.finding_id, f.present) for f in one.findings}
    assert len(long.findings) == 5 * len(one.findings)
    for finding in long.findings:
        assert copies[finding.start : finding.end] == finding.text


# --- warning-sign topics: a red flag in words nobody foresaw is asked, never dropped -------------
# Subjects from the GIRFT suspected cauda equina pathway and its symptom card, the NHS sepsis,
# cellulitis, necrotising fasciitis and acute limb ischaemia pages; the sentences here are new.


@pytest.fixture(scope="module")
def context():
    pytest.importorskip("medspacy")
    return heelpath.load()


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("My wee has been strange since yesterday and my back is killing me.", "bladder_dysfunction"),
        ("Not peeing right since the back went.", "bladder_dysfunction"),
        ("Things aren't working down there like they used to.", "saddle_numbness"),
        ("I can't really feel myself when I go for a number two.", "bowel_dysfunction"),
        ("My wife says I'm not myself and I keep forgetting things.", "new_confusion"),
        ("Both my legs have felt odd and heavy since this morning.", "bilateral_leg_weakness"),
        ("My foot has gone a funny colour and is freezing.", "cold_pale_foot"),
        ("The skin on my heel has changed and I don't like the look of it.", "skin_black_purple_or_blistering"),
        ("The redness seems larger than it was at lunch.", "rapidly_spreading_redness"),
        ("I've been drinking loads and getting up all night.", "thirst_or_passing_much_urine"),
        ("I'm shaking and sweating.", "fever"),
    ],
)
def test_a_warning_signs_subject_in_unforeseen_words_is_asked_first(context, text, topic):
    intake = context.read_text(text)
    assert topic in context.to_confirm(intake)
    assert topic not in intake.to_case_findings()  # a topic is never counted, either way


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("No blisters and no black bits on the skin.", "skin_black_purple_or_blistering"),
        ("No bladder or bowel problems, just sciatica.", "bladder_dysfunction"),
        ("My dad had bowel cancer.", "bowel_dysfunction"),  # a disease's name is not the bowel's function
    ],
)
def test_a_topic_denied_outright_is_not_asked(context, text, finding):
    assert finding not in context.to_confirm(context.read_text(text))


@pytest.mark.parametrize(("text", "finding"), [
    # a text that opens on a relative's state now, from a writer with no complaint of their own, is written for them
    # (NHS sepsis and cauda equina pages, as carers write them)
    ("Grandma is really confused today.", "new_confusion"),
    ("Mum has been confused since yesterday.", "new_confusion"),
    ("My mum's foot has gone cold and white.", "cold_pale_foot"),
    ("Dad's drinking gallons, weeing constantly and talking nonsense today.", "thirst_or_passing_much_urine"),
])
def test_a_text_opening_on_a_relatives_state_is_written_for_them(context, text, finding):
    assert context.read_text(text).to_case_findings().get(finding) is True


@pytest.mark.parametrize(("text", "finding"), [
    ("My brother couldn't wee and went numb down below.", "bladder_dysfunction"),  # a story of the past
    ("My mum has diabetes. Sore heels for 3 weeks.", "diabetes"),  # a diagnosis
    ("My dad had a fever last week. My heel hurts.", "fever"),
])
def test_a_relatives_warning_sign_is_asked_never_counted(context, text, finding):
    intake = context.read_text(text)
    assert finding in context.to_confirm(intake)
    assert intake.to_case_findings().get(finding) is not True


def test_a_topic_does_not_take_the_place_of_the_findings_own_words(context):
    # the topic matcher matches the same words as the finding's own pattern; the finding must win
    intake = context.read_text("About an hour ago my left foot suddenly went cold, white and numb.")
    assert intake.to_case_findings().get("cold_pale_foot") is True
    assert "cold_pale_foot" not in context.to_confirm(intake)


def test_a_topic_does_not_take_a_negation_cue_away_from_a_finding(context):
    intake = context.read_text("No fever, the redness isn't spreading, and the heel isn't hot or swollen.")
    assert intake.to_case_findings().get("heel_red_hot_swollen") is not True
    assert intake.to_case_findings().get("fever") is False


def test_every_topic_belongs_to_a_warning_sign(context):
    topics = {e.finding_id for e in context.lexicon.findings.values() if any(t.kind == "topic" for t in e.targets)}
    assert topics and topics <= context.red_flag_findings


_SENTENCES = [t["text"] for t in json.loads("[" + ",".join(
    (ROOT / "cases" / "lay_texts" / "texts.jsonl").read_text(encoding="utf-8").splitlines()) + "]")
    if t["split"] in ("dev", "dev2", "dev3", "dev4")]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=st.sampled_from(_SENTENCES), second=st.sampled_from(_SENTENCES))
def test_a_sentence_added_never_takes_a_warning_sign_away(context, first, second):
    """Reading on never removes a red flag already read or asked: a present mention wins, and a
    question stays until something settles it."""
    flags = context.red_flag_findings

    def raised(text):
        intake = context.read_text(text)
        present = {f for f, v in intake.to_case_findings().items() if v is True or (isinstance(v, dict) and v["present"])}
        return (present & flags) | set(context.to_confirm(intake))

    before = raised(first)
    after = raised(first + "\n\n" + second)
    settled_by_second = {f for f, v in context.read_text(second).to_case_findings().items() if f in flags}
    assert before - settled_by_second <= after


@pytest.mark.parametrize(("text", "expected"), [
    ("it started today full stop my back went", "it started today .         my back went"),
    ("pain comma no fever Question Mark", "pain ,     no fever ?            "),
    ("Full  stop.", ".         ."),
    ("new paragraph I'm 33", "\n\n            I'm 33"),
    ("history of colon cancer, commas, full stops", "history of colon cancer, commas, full stops"),
])
def test_spoken_punctuation_is_read_as_the_mark_at_the_same_offsets(text, expected):
    from heelpath.services.intake.extractor import spoken_punctuation

    assert spoken_punctuation(text, heelpath.load().lexicon.dictation) == expected


def test_a_respelled_mention_is_shown_as_written(extract):
    """A misspelling put right for reading ("heal") is still shown as the writer wrote it, at the same offsets."""
    text = "pain in my heal, underneath"
    found = [f for f in extract(text).findings if f.finding_id == "pain_under_heel"]
    assert found and all(f.text == text[f.start : f.end] for f in found)
    assert any("heal" in f.text for f in found)


# text-speak shorter than the word it stands for (a review of everyday messages; NHS sciatica and cauda equina pages)
@pytest.mark.parametrize(("text", "finding_id", "written"), [
    ("My bak is killing me and my legs keep givin' way", "bilateral_leg_weakness", "givin' way"),
    ("My bak is killing me and my legs keep givin' way", "low_back_pain", "bak"),
    ("heel achin at nite, wakin me up", "pain_at_rest_or_night", "achin at nite"),
    ("siatica down boht legs since friday", "new_bilateral_or_alternating_sciatica", "siatica down boht legs"),
    ("no feva, pain undr the heel first thing", "fever", "feva"),
])
def test_text_speak_shorter_than_its_word_is_read_and_shown_where_written(extract, text, finding_id, written):
    intake = extract(text)
    found = [f for f in intake.findings if f.finding_id == finding_id]
    assert found and all(f.text == text[f.start : f.end] for f in intake.findings)
    assert any(written in f.text for f in found)


_SLIPS = {"back": "bak", "under": "undr", "night": "nite", "fever": "feva", "giving": "givin'", "aching": "achin",
          "underneath": "undernieth", "both": "boht", "sciatica": "siatica"}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.sampled_from(_SENTENCES), slips=st.sets(st.sampled_from(sorted(_SLIPS))))
def test_text_speak_changes_no_reading_and_every_mention_stays_where_written(extract, text, slips):
    """Misspelt, a text reads the same, and each mention is shown at its offsets in the text as written."""
    slipped = text
    for word in slips:
        slipped = re.sub(rf"\b{word}\b", _SLIPS[word], slipped)
    intake = extract(slipped)
    assert all(f.text == slipped[f.start : f.end] for f in intake.findings)
    assert intake.to_case_findings() == extract(text).to_case_findings()
