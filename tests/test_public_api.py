"""The library's public API: its names, its errors, and the README example, which runs as a doctest."""

import doctest
from pathlib import Path

import pytest

import heelpath

README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_public_names_are_exactly_these():
    assert sorted(heelpath.__all__) == sorted([
        "AssessmentResult", "Case", "CaseFormatError", "Heelpath", "HeelpathError", "InputError",
        "InteroperabilityError", "InvalidAnswerError", "KBReferenceError", "KBSchemaError", "KnowledgeBaseError",
        "StorageError", "UnknownFindingError", "__version__", "assess", "load",
    ])
    for name in heelpath.__all__:
        assert getattr(heelpath, name) is not None, name


def test_the_readme_example_runs():
    failures, attempted = doctest.testfile(str(README), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert attempted >= 5 and failures == 0


@pytest.mark.parametrize("bad", [None, 42, "a case", ["age", 40]])
def test_a_case_that_is_not_a_mapping_is_an_input_error_and_a_value_error(bad):
    with pytest.raises(heelpath.InputError) as caught:
        heelpath.assess(bad)
    assert isinstance(caught.value, ValueError)


def test_input_errors_name_the_problem():
    with pytest.raises(ValueError, match="age"):
        heelpath.assess({"findings": {}})
    with pytest.raises(heelpath.InvalidAnswerError, match="duration_weeks"):
        heelpath.assess({"age": 40, "findings": {"duration_weeks": -1}})
    with pytest.raises(heelpath.CaseFormatError, match="mode"):
        heelpath.load().step({"mode": "robot"})


def test_load_is_shared_for_the_packaged_knowledge_and_fresh_for_another_folder(tmp_path):
    import shutil

    from heelpath.knowledge.loader import DATA_DIR

    assert heelpath.load() is heelpath.load()
    shutil.copytree(DATA_DIR, tmp_path / "kb")
    other = heelpath.load(tmp_path / "kb")
    assert other is not heelpath.load() and other.kb.content_hash == heelpath.load().kb.content_hash
    assert other.assess({"age": 45}).kb_hash == other.kb.content_hash


def test_a_broken_knowledge_base_is_a_knowledge_base_error(tmp_path):
    import shutil

    from heelpath.knowledge.loader import DATA_DIR

    shutil.copytree(DATA_DIR, tmp_path / "kb")
    (tmp_path / "kb" / "screens.yaml").write_text("- id: x\n  clinician_text: y\n  members: [nope]\n")
    with pytest.raises(heelpath.KnowledgeBaseError, match="nope"):
        heelpath.load(tmp_path / "kb")


@pytest.mark.parametrize("findings", ["ab", 5, ["fever"], True])
def test_findings_that_are_not_an_object_are_an_input_error_with_or_without_text(findings):
    # found by the Hypothesis fuzzing of the case parser (tests/interfaces/http/test_fuzz_forms.py)
    for extra in ({}, {"text": "heel pain"}):
        with pytest.raises(heelpath.InputError, match="findings"):
            heelpath.assess({"age": 40, "findings": findings, **extra})
