"""Questions the text answers itself, as online consultation forms and triage notes are typed.

"Any fever? No", "Do you have diabetes? Yes, type 1", "Temperature: N/A", and a question followed by a
list and "Answer: None of these": what the question names takes the answer, whatever the question's own
words would say read as a statement ("Have you ever had cancer?" is not a history of cancer).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from heelpath.knowledge.lexicon import AnswerWords

Answer = Literal["yes", "no", "unknown"]
# how many lines a list may run between a question and its answer on a line of its own
_MAX_LIST_LINES = 8
_QUESTION_MARKS = re.compile(r"\?+")
_SENTENCE_END = re.compile(r"(?<!\be\.g)(?<!\bi\.e)(?<!\betc)[.!?;]\s+")  # "(e.g. prednisolone)" runs on
_FIELD = re.compile(r"(?P<label>[^:?.!;\n]{2,60}):")


@dataclass(frozen=True)
class AnsweredQuestion:
    """The characters of a question (or a form field's label) and the answer it was given."""

    start: int
    end: int
    answer: Answer

    def covers(self, start: int, end: int) -> bool:
        return self.start <= start and end <= self.end


def answered_questions(text: str, words: AnswerWords) -> list[AnsweredQuestion]:
    """Every question in `text` that is answered yes, no or "don't know" right after it.

    >>> import heelpath
    >>> words = heelpath.load().lexicon.answers
    >>> [(q.answer, "Any fever? No"[q.start:q.end]) for q in answered_questions("Any fever? No", words)]
    [('no', 'Any fever')]
    >>> answered_questions("Numb? No feeling at all down there", words)
    []
    """
    answer_at = _answer_pattern(words)
    lines = _lines(text)
    found: list[AnsweredQuestion] = []
    for i, (offset, line) in enumerate(lines):
        for start in [0, *(m.end() for m in _SENTENCE_END.finditer(line))]:  # "Fever: no. Rash: yes"
            field = _FIELD.match(line, start)
            if field and field["label"].strip().lower() not in words.labels:
                answer = _answer(answer_at, line[field.end():])
                if answer:
                    found.append(AnsweredQuestion(offset + start, offset + field.end("label"), answer))
        for mark in _QUESTION_MARKS.finditer(line):
            start = max((m.end() for m in _SENTENCE_END.finditer(line, 0, mark.start())), default=0)
            answer = _answer(answer_at, line[mark.end():])
            if answer:
                found.append(AnsweredQuestion(offset + start, offset + mark.start(), answer))
            elif not line[mark.end():].strip():  # the answer may follow a list on lines of their own
                answer, end = _answer_below(lines[i + 1 : i + 1 + _MAX_LIST_LINES], answer_at)
                if answer:
                    found.append(AnsweredQuestion(offset + start, max(end, offset + mark.start()), answer))
    return found


def _answer(pattern: re.Pattern[str], after: str) -> Answer | None:
    match = pattern.match(after)
    return next((kind for kind in ("yes", "no", "unknown") if match and match[kind] is not None), None)


def _answer_below(lines: list[tuple[int, str]], pattern: re.Pattern[str]) -> tuple[Answer | None, int]:
    """The answer on a line of its own after a question, and where the list before it ends."""
    end = 0
    for offset, line in lines:
        answer = _answer(pattern, line)
        if answer:
            return answer, end
        if "?" in line:
            break
        end = offset + len(line.rstrip())
    return None, 0


def _lines(text: str) -> list[tuple[int, str]]:
    lines, offset = [], 0
    for line in text.split("\n"):
        lines.append((offset, line))
        offset += len(line) + 1
    return lines


@lru_cache(maxsize=4)
def _answer_pattern(words: AnswerWords) -> re.Pattern[str]:
    """An answer, perhaps labelled ("Answer: None of these")."""

    def alternatives(phrases: tuple[str, ...]) -> str:
        return "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))

    # a whole reply: ended by the line, by punctuation or by a dash standing apart
    reply = (
        rf"(?:(?P<unknown>{alternatives(words.unknown)})|(?P<no>{alternatives(words.no)})"
        rf"|(?P<yes>{alternatives(words.yes)}))(?=\s*$|\s*[,.;:!()/\-–—])"
    )
    label = rf"(?:(?:{alternatives(words.labels)})\s*[:\-–—]\s*)"
    return re.compile(rf"\s*{label}?{reply}", re.IGNORECASE)
