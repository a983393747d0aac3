"""A coverage-guided fuzz target (atheris) for the two parsers people feed: case JSON and free text.

Bytes become either a case document (read as the command line reads one: UTF-8, then the JSON
reader with its limits, then assessment) or a free text for the intake. Anything but an
InputError, the documented refusal, is a crash that atheris reports with its input.

    .venv/bin/python fuzz/case_and_text.py -max_total_time=60      # or -runs=N; see libFuzzer's options

tests/test_fuzz_targets.py runs it for a fixed budget on every test run.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["heelpath"]):
    import heelpath
    from heelpath.errors import InputError
    from heelpath.services.jsonio import decode, parse_json

    # heelpath imports its services on first use: use them here, so that they are instrumented too
    CONTEXT = heelpath.load()
    CONTEXT.assess({"age": 40, "text": "heel"})


def one_input(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    if provider.ConsumeBool():
        try:
            CONTEXT.assess(parse_json(decode(provider.ConsumeBytes(provider.remaining_bytes()), "fuzz")))
        except InputError:
            return
    else:
        intake = CONTEXT.read_text(provider.ConsumeUnicodeNoSurrogates(4000))
        CONTEXT.to_confirm(intake)


if __name__ == "__main__":
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
