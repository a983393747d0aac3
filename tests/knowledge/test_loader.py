"""Loading and validating the knowledge base: good data loads, bad data is named."""

import shutil

import pytest
import yaml

from heelpath.errors import KBReferenceError, KBSchemaError
from heelpath.knowledge import load_kb, load_kb_from
from heelpath.knowledge.loader import DATA_DIR, content_hash
from heelpath.knowledge.validate import validate, verhoeff_valid


@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def test_packaged_knowledge_base_is_valid():
    report = validate(load_kb())
    assert report.errors == []
    assert report.counts["conditions"] >= 20


def test_every_condition_has_evidence_and_priors_in_every_setting():
    kb = load_kb()
    for condition in kb.conditions:
        assert any(row.condition == condition.id for row in kb.evidence), condition.id
        for setting in kb.header.settings.known:
            assert any(p.condition == condition.id and p.setting == setting for p in kb.priors)


def test_every_number_is_cited_or_marked_estimate():
    kb = load_kb()
    for row in (*kb.evidence, *kb.priors, *kb.prior_modifiers):
        assert row.quality == "estimate" or row.reference in kb.references, row.origin


def test_content_hash_changes_with_content(data_copy):
    before = content_hash(data_copy)
    with open(data_copy / "kb.yaml", "a") as f:
        f.write("\n# edited\n")
    assert content_hash(data_copy) != before


def _edit_yaml(path, edit):
    entries = yaml.safe_load(path.read_text())
    edit(entries)
    path.write_text(yaml.safe_dump(entries, sort_keys=False))


def test_unknown_field_in_a_condition_is_named(data_copy):
    _edit_yaml(data_copy / "conditions.yaml", lambda e: e[0].update(colour="red"))
    with pytest.raises(KBSchemaError, match="colour"):
        load_kb_from(data_copy)


def test_a_key_given_twice_is_refused_not_overwritten(data_copy):
    """A second `patterns:` under one entry would silently drop the first."""
    path = data_copy / "kb.yaml"
    assert "\nname:" in path.read_text()
    path.write_text(path.read_text() + "\nname: again\n")
    with pytest.raises(yaml.YAMLError, match="twice"):
        load_kb_from(data_copy)


def _bad_rows(data_copy, text):
    (data_copy / "evidence" / "zz_bad.tsv").write_text(text)


def test_evidence_row_naming_a_missing_finding_is_named(data_copy):
    _bad_rows(data_copy, "condition\tfinding\tsens\tquality\nplantar_fasciitis\tno_such_finding\t0.5\testimate\n")
    with pytest.raises(KBReferenceError, match="no_such_finding"):
        load_kb_from(data_copy)


def test_evidence_probability_out_of_range_is_named(data_copy):
    _bad_rows(data_copy, "condition\tfinding\tsens\tquality\nplantar_fasciitis\tfever\t1.5\testimate\n")
    with pytest.raises(KBSchemaError, match=r"zz_bad.tsv:2.*sens"):
        load_kb_from(data_copy)


def test_cited_row_without_reference_is_rejected(data_copy):
    _bad_rows(data_copy, "condition\tfinding\tsens\tquality\nplantar_fasciitis\tfever\t0.1\tverified\n")
    with pytest.raises(KBSchemaError, match="needs a reference"):
        load_kb_from(data_copy)


def test_unknown_reference_is_named(data_copy):
    _bad_rows(data_copy, "condition\tfinding\tsens\tquality\treference\nplantar_fasciitis\tfever\t0.1\tverified\tnobody1999\n")
    with pytest.raises(KBReferenceError, match="nobody1999"):
        load_kb_from(data_copy)


def test_inconsistent_likelihood_ratio_is_reported(data_copy):
    _bad_rows(data_copy, "condition\tfinding\tsens\tspec\tlr_pos\tquality\nplantar_fasciitis\tfever\t0.5\t0.9\t20\testimate\n")
    report = validate(load_kb_from(data_copy), check_icd=False)
    assert any("LR+ 20" in e for e in report.errors)


def test_invalid_icd_code_is_reported(data_copy):
    _edit_yaml(data_copy / "conditions.yaml", lambda e: e[0].update(icd10cm=["Q99.999"]))
    report = validate(load_kb_from(data_copy))
    assert any("Q99.999" in e for e in report.errors)


def test_verhoeff_check_digit():
    assert verhoeff_valid("202882003")  # plantar fasciitis
    assert not verhoeff_valid("202882004")


def test_a_rule_naming_a_missing_finding_fails_validation(data_copy):
    text = (data_copy / "red_flags.yaml").read_text()
    (data_copy / "red_flags.yaml").write_text(text.replace("saddle_numbness", "saddle_numbnesz", 1))
    report = validate(load_kb_from(data_copy), check_icd=False)
    assert any("saddle_numbnesz" in e for e in report.errors)


def test_a_screen_naming_a_missing_finding_is_named(data_copy):
    _edit_yaml(data_copy / "screens.yaml", lambda e: e[0]["members"].append("no_such_finding"))
    with pytest.raises(KBReferenceError, match="screens.yaml warning_nerves.*no_such_finding"):
        load_kb_from(data_copy)


def test_a_finding_on_two_screens_is_named(data_copy):
    _edit_yaml(data_copy / "screens.yaml", lambda e: e[1]["members"].append(e[0]["members"][0]))
    with pytest.raises(KBReferenceError, match="on screens"):
        load_kb_from(data_copy)


def test_a_lexicon_entry_naming_a_missing_finding_fails_validation(data_copy):
    text = (data_copy / "lexicon.yaml").read_text()
    (data_copy / "lexicon.yaml").write_text(text.replace("  saddle_numbness:", "  saddle_numbnesz:", 1))
    report = validate(load_kb_from(data_copy), check_icd=False)
    assert any(e.startswith("lexicon:") and "saddle_numbnesz" in e for e in report.errors)


@pytest.mark.parametrize(("old", "new", "named"), [
    # a ConText rule reaching other findings
    ("also_modifies: [numbness, tingling_pins_needles]", "also_modifies: [numbnesz]", "numbnesz"),
    ("warning_signs_only: true, also_modifies:", "also_modifies:", "only for a rule with warning_signs_only"),
    # a spelling put right
    ("  - {word: underneath, pattern:", "  - {word: '', pattern:", "spellings[1].word"),
    ("  - {word: underneath, pattern:", "  - {spelt: underneath, pattern:", "spellings[1]"),
])
def test_a_broken_lexicon_entry_is_named(data_copy, old, new, named):
    text = (data_copy / "lexicon.yaml").read_text()
    assert old in text
    (data_copy / "lexicon.yaml").write_text(text.replace(old, new, 1))
    report = validate(load_kb_from(data_copy), check_icd=False)
    assert any(e.startswith("lexicon:") and named in e for e in report.errors)


def test_a_caution_is_a_rule_checked_like_the_others(data_copy):
    def edit(advice):
        advice["cautions"][0]["when"]["all"][0] = "ankle_reflex_reducd"
    path = data_copy / "advice.yaml"
    advice = yaml.safe_load(path.read_text())
    edit(advice)
    path.write_text(yaml.safe_dump(advice, sort_keys=False))
    report = validate(load_kb_from(data_copy), check_icd=False)
    assert any("ankle_reflex_reducd" in e for e in report.errors)


def test_a_changed_screen_changes_what_the_interview_shows(data_copy):
    import heelpath

    _edit_yaml(data_copy / "screens.yaml", lambda e: e[0].update(lay_text="Any of these new problems?"))
    context = heelpath.load(data_copy)
    state = {"mode": "lay", "age": 50, "sex": "male", "side": "left", "answers": {}}
    shown = []
    for _ in range(8):  # the warning-sign screens come first
        current = context.step(state)
        if current.done:
            break
        shown.append((current.group.id, current.group.text))
        state["answers"].update({q.id: False for q in current.next_questions})
    assert ("warning_nerves", "Any of these new problems?") in shown
