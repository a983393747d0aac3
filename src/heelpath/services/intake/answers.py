"""Questions the text answers itself, as online consultation forms and triage notes are typed.

"Any fever? No", "Do you have diabetes? Yes, type 1", "Temperature: N/A", "Bladder? Fine", and a question
followed by a list and "Answer: None of these": what the question names takes the answer, whatever the
question's own words would say read as a statement ("Have you ever had cancer?" is not a history of cancer).
A reply that all is well ("fine", "normal") settles what the question names as absent whichever way it is
asked, but only as the whole reply; a yes that goes on to the past, a doubt or someone else is asked.

Safety-netting advice answered in the next words ("the physio said go to A&E if I get numbness round my
bum or can't pee - I haven't") is a "no" to the conditions the advice names, and to nothing else.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from heelpath.knowledge.lexicon import AnswerWords
from heelpath.services.intake.sentences import TEXT_SENTENCE_END

Answer = Literal["yes", "no", "unknown", "normal", "unread"]
# how many lines a list may run between a question and its answer on a line of its own
_MAX_LIST_LINES = 8
_QUESTION_MARKS = re.compile(r"\?+")
_SENTENCE_END = re.compile(r"(?<!\be\.g)(?<!\bi\.e)(?<!\betc)[.!?;]\s+")  # "(e.g. prednisolone)" runs on
# the advice's condition said to have happened ("go to A&E if my bum went numb, which it has, but I haven't")
_AFFIRMED = re.compile(r"\b(?:which|and|but|though)\s+(?:it|they|i|she|he)\s+(?:has|have|had|do|does|did)\b(?!\s*(?:n[o'’]?t|never)\b)"
                       r"|\b(?:it|they)\s+(?:has|have)\s+(?:spread|gone|happened|started|come|got)\b", re.IGNORECASE)
# a reply to a whole list, which may come a sentence or two after it
_ANSWERS_A_LIST = re.compile(r"\b(?:none|neither|any) of\b|\bnothing like\b", re.IGNORECASE)
# ...or said, after the reply, to be there in part ("It hasn't, it's just cold to touch")
_STATES = (r"(?:cold|cool|pale|white|blue|numb|tingl|weak|red|hot|swollen|spread|purple|black|buckl|leak|wet)\w*"  # "paler"
           r"|giv(?:e|es|ing) way|gave way|going too|can['’]?t|cannot")
_STILL_SO = re.compile(rf"\b(?:it|they|mine)(?:['’]s|['’]re| is| are)\s+(?:(?:just|only|still|a bit|a little|slightly)\s+){{1,2}}"
                       rf"(?:{_STATES})\b|\b(?:but|though|although)\b[^.!?\n]{{0,60}}\b(?:{_STATES})\b", re.IGNORECASE)
# a question or label about working as normal or about what happens, whose "no" or "none" may be the warning sign
# ("Can you feel when you wipe? No", "Been able to pee? nope", "How does it feel when you wipe? nothing", "Wee:
# none", "Perianal sensation: nil"): its answer is not read either way, so what it names is asked. One that names a
# problem or a sign ("Any change in bladder control? No", "Do you feel hot and shivery? Yes") is read
_ASKS_NORMAL = re.compile(
    r"\b(?:normal(?:ly)?|fine|ok(?:ay)?|as usual|all right|alright|sensation|feeling|control|tone|power|strength|strong|"
    r"able|manag\w*|urge|how|what|wees?|pees?|urine|stools?|poos?|feel|empty|emptying|know|knows|passing|pass|opened|"
    r"open|lift|get|getting|make it|hold|holding|wiping|wipe)\b"
    r"|\b(?:can|could|are|do|is) (?:you|u|they|she|he|it) (?:still )?(?:feel|pee|wee|pass|control|hold|walk|move|lift|stand|tell)\b",
    re.IGNORECASE)
_ASKS_PROBLEM = re.compile(r"\b(?:change[sd]?|problems?|loss|lost|difficult\w*|trouble|issues?|reduced|altered|numb\w*|weak\w*|"
                           r"tingl\w*|pins and needles|leak\w*|incontinen\w*|accidents?|fever\w*|temperature|hot|shiver\w*|"
                           r"confus\w*|muddl\w*|cold|pale|thirst\w*|worse|more|higher|black|purple|blister\w*|red|swollen|"
                           r"spread\w*|pain|can['’]?t|cannot|unable|without|soil\w*|wet\w*|giv(?:e|es|ing) way|gave way|"
                           r"buckl\w*|collaps\w*|trip\w*|catch\w*|drop\w*|slap\w*|shak\w*|sweat\w*|chills?|rigou?rs?)(?!\w)",
                           re.IGNORECASE)
# a triage script's answers typed on one line ("fever y, numbness y - toes only, bowels n/a"): read when a line holds
# two or more, so that "I said no." is not one. Only a yes is read: a "no" there may deny a label in words that name
# the function ("feel toilet paper n"), be followed by its exception ("bladder n - well a few accidents") or run into
# the next label ("numb bum y bladder n"), so it is asked
_INLINE = re.compile(r"(?:^|(?<=[,;/])|(?<=[,;/]\s))\s*(?P<label>[a-z](?:(?!\b(?:y|n|yes|no|nil)\b)[\w'’ ]){1,30}?)\s+"
                     r"(?P<reply>y|n|yes|no|nil|n/a)(?=\s*(?:[,;./)]|\s[-–—]\s|$))", re.IGNORECASE)
# a line that is nothing but a checklist typed without punctuation ("fever no numbness down below yes"): each short
# label takes the reply after it; a label never opens with a denial ("no fever yes" is no checklist)
_CHECKLIST_PAIR = (r"(?!(?:no|not|never|none|nil)\b)[a-z][\w'’]*(?:\s+(?!(?:yes|no|y|n|nil|none)\b)[\w'’]+){0,3}?"
                   r"\s+(?:yes|no|y|n|nil|none)\b[,;.]?")
_CHECKLIST_LINE = re.compile(rf"\s*(?:{_CHECKLIST_PAIR}\s*){{2,}}", re.IGNORECASE)
_CHECKLIST_ITEM = re.compile(r"(?P<label>(?!(?:no|not|never|none|nil)\b)[a-z][\w'’]*(?:\s+(?!(?:yes|no|y|n|nil|none)\b)"
                             r"[\w'’]+){0,3}?)\s+(?P<reply>yes|no|y|n|nil|none)\b", re.IGNORECASE)
_CHECKLIST_ANSWERS: dict[str, Answer] = {"y": "yes", "yes": "yes", "n": "no", "no": "no", "nil": "no", "none": "no"}
# a form's tick boxes copied as text ("[x] fever [ ] numbness", "☐ Fever ☑ None of the above"): what follows a box, up
# to the next box or the line's end, is ticked or not
_BOX = re.compile(r"(?P<box>\[\s*(?P<tick>[xX✓✔*])?\s*\]|(?P<empty>[☐□])|[☑☒✅✓✔])[ \t]*(?P<label>[^\[☐□☑☒✅✓✔\n]*)")
_INLINE_ANSWERS: dict[str, Answer] = {"y": "yes", "yes": "yes", "n": "unknown", "no": "unknown", "nil": "unknown",
                                      "n/a": "unknown"}
# what a yes may go on to that makes it no yes to the sign now
_YES_BUT = re.compile(
    r"\b(?:years?|before|used to|once|as a (?:child|kid)|in (?:19|20)\d\d|when (?:i|he|she|we) (?:was|were|had)|think|"
    r"thought|not sure|unsure|maybe|probably|possibly|perhaps|on purpose|intentional\w*|deliberate\w*|diet\w*|slimming|"
    r"weight ?watchers|because|cos|but|though|except|only|normal\w*|fine|ok|okay|mean|sorry|never|subsided|gone|better|"
    r"settled|cleared|from (?:my|the) \w+|"
    r"my (?:husband|wife|partner|mum|mom|mam|dad|son|daughter|brother|sister|friend|child|kids?) (?:has|had|does|did)"
    r"(?=\s*(?:[.,!;]|$)|\s+(?:it|one|too|as well)\b))\b", re.IGNORECASE)
# a yes that names all of a list is a plain yes ("Bladder or bowels? yes both")
_YES_ALL = re.compile(r"(?:both|all|all of them|all of those|all of these|the lot)\b", re.IGNORECASE)
# what may follow a whole reply of "fine": nothing, thanks, or the next question or label ("Bladder? Fine. Bowels? Fine.")
_REPLY_DONE = re.compile(r"\s*(?:,?\s*(?:thanks|thank you|ta|cheers))?\s*[.!]*\s*(?:$|[^.!?\n,]*[?:])", re.IGNORECASE)
# a clause that opens like a question, and where clauses break
# (not "when", "what" or "ever" alone, which open the writer's own clauses: "When I wipe I cant feel anything, bladder?")
_QUESTION_OPENS = re.compile(
    r"\s*(?:[\w'’]+\s*:\s*)?(?:q\d*\s*[:.)]\s*)?(?:(?:but|and|so|also|well|now|or)\s+)?(?:any(?! ?(?:way|time|how)\b)|anything|(?:do|does|did|have|has|is|are|was|were|"
    r"can|could|will|would|should|am) (?:you|your|u|there|they|he|she|his|her|i|it|that|this|the|my)|how (?:about|is|are|does|do|did|often|long)|"
    r"what about|which of|ever had)\b", re.IGNORECASE)
_ASKS_MIDWAY = re.compile(r"\b(?:how about|what about|and (?:your|the) |any|anything|is there|are there|do you|have you|did you|"
                          r"can you|is your|are your|how['’]?s|how are|how is|wbu|and how)\b", re.IGNORECASE)
# words that end a label without naming anything ("Numbness anywhere?", "Fever at all?", "Leaks lately?")
_QUESTION_TAIL = re.compile(r"(?:\s+(?:anywhere(?: else)?|at all|lately|recently|now|today|too|either|as well|still))+\s*$",
                            re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[,:]\s*|\s[-–—]\s+|\sbut\s+", re.IGNORECASE)
# a bare label after the writer's own words told with no punctuation: what follows their time ("... since tues wee ok?")
_WRITERS_STATEMENT = re.compile(
    r"\b(?:(?:since|for) (?:\d+ \w+|(?:mon|tue|wed|thu|fri|sat|sun)\w*|yesterday|last \w+|the weekend|an? (?:day|week|month)|"
    r"\w+ (?:days|weeks|months))|today|yesterday|this (?:morning|evening|week)|last (?:night|week))\b", re.IGNORECASE)
_WRITERS_WORDS = re.compile(rf"{_WRITERS_STATEMENT.pattern}|\b(?:i|i['’]?m|im|i['’]?ve|ive|my|me|myself)\b(?:\s+\w+)?",
                            re.IGNORECASE)
_GOES_ON = re.compile(r"\s*(?:\(|(?:but|well|actually|only|just|mostly)\b)|.*\b(?:though|although|except|apart from)\b",
                      re.IGNORECASE)
# a reply on a question's line: not one that opens "no" ("Numb down below? No feeling at all" tells it, "Fever? No
# temperature" denies it in words of its own)
_UNREAD_REPLY = re.compile(r"(?![ \t]*no\b)[ \t]*\W*\w", re.IGNORECASE)
# a bare label asked ("Fever?", "Bladder problems?"): a few words, none the writer's own
_LABEL = re.compile(r"\W*(?:[\w'’-]+\W+){0,5}[\w'’-]+\W*")
_FIELD_START = re.compile(r"(?<!\be\.g)(?<!\bi\.e)(?<!\betc)[.!?;]\s+|,|\s/\s")
_CLAUSE_END = re.compile(r"[,.;:!?()]|\s[-–—]\s")
_TO_ALL = re.compile(r"\s*(?:no|yes|none|nope) to (?:all|everything|all of (?:them|those|these|it))\b", re.IGNORECASE)
_REPLY_START = re.compile(r"\s*(?:yes|yeah|yep|yup|no|nope|nah)\b", re.IGNORECASE)
_FIELD = re.compile(r"\s*(?P<label>(?:(?!\s/\s)[^:?.!;,\n]){2,60}):")  # a label is its own clause ("Bum numb, bladder: fine")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")  # where a paragraph ends
# a reply that names the list it answers ("I read the list again tonight ... none of them")
_NAMES_THE_LIST = re.compile(r"\bthe (?:list|card|leaflet|sheet|signs|symptoms|poster|checklist)\b", re.IGNORECASE)
# a short label and its answer after a dash, as notes and lists are typed ("Fever - none", "Temp – no"); a "no"
# there may also start a statement ("Numb down below - no, ..."), so only a yes is read and a no is asked
_DASH_FIELD = re.compile(r"\s*(?P<label>(?:[\w'’/&+]+ ){0,3}[\w'’/&+]+)\s+[-–—]\s+")


@dataclass(frozen=True)
class AnsweredQuestion:
    """The characters of a question (or a form field's label) and the answer it was given."""

    start: int
    end: int
    answer: Answer
    #: a reply to advice: it answers only the conditions the advice names ("go to A&E if ..."), not what
    #: the writer states as fact in the same words ("I've been numb since Tuesday and ... if I can't pee")
    conditions_only: bool = False
    #: a yes that goes on ("yes numbness"): to a question naming several signs it may pick one of them
    says_more: bool = False
    #: for a question that does not open like one ("numb bum bladder? fine"), where its last word begins: what ends
    #: before it may be the writer's own words
    bare_from: int | None = None

    def covers(self, start: int, end: int) -> bool:
        return self.start <= start and end <= self.end


def answered_questions(text: str, words: AnswerWords) -> list[AnsweredQuestion]:
    """Every question in `text` that is answered yes, no or "don't know" right after it, or "unread": answered on its
    line in words no rule reads ("Any fever? Haven't checked", "Bladder problems? Don't think so").

    >>> import heelpath
    >>> words = heelpath.load().lexicon.answers
    >>> [(q.answer, "Any fever? No"[q.start:q.end]) for q in answered_questions("Any fever? No", words)]
    [('no', 'Any fever')]
    >>> answered_questions("Numb? No feeling at all down there", words)
    []
    """
    answer_at = _answer_pattern(words)
    lines = _lines(text)
    found = _ticked(text)
    for i, (offset, line) in enumerate(lines):
        for start in [0, *(m.end() for m in _FIELD_START.finditer(line))]:  # "Fever: no. Rash: yes", "..., bladder: fine"
            colon = _FIELD.match(line, start)
            field = colon or _DASH_FIELD.match(line, start)
            if field and field["label"].strip().lower() not in words.labels:
                answer, more = _answer(answer_at, line[field.end():])
                if answer:
                    answer = _read(field["label"], answer) if colon or answer in ("yes", "normal") else "unknown"
                    found.append(AnsweredQuestion(offset + start, offset + field.end("label"), answer, says_more=more,
                                                  bare_from=_bare_from(line, field.start("label"), field.end("label"), offset)))
        inline = list(_INLINE.finditer(line))
        if _CHECKLIST_LINE.fullmatch(line):
            found.extend(AnsweredQuestion(offset + m.start("label"), offset + m.end("label"),
                                          _read(m["label"], _CHECKLIST_ANSWERS[m["reply"].lower()]))
                         for m in _CHECKLIST_ITEM.finditer(line))
        elif len(inline) >= 2:
            found.extend(AnsweredQuestion(offset + m.start("label"), offset + m.end("label"),
                                          _INLINE_ANSWERS[m["reply"].lower()]) for m in inline)
        unread: list[AnsweredQuestion] = []  # questions with a reply on their line that no rule reads
        unanswered: list[tuple[int, int]] = []  # the questions of a run, for a reply to them all ("No to all.")
        # where sentences and questions end, found once per line (each question looks back to the last of them)
        sentence_ends = [m.end() for m in _SENTENCE_END.finditer(line)]
        previous_mark = 0
        for mark in _QUESTION_MARKS.finditer(line):
            answer, more = _answer(answer_at, line[mark.end():])
            end = offset + mark.start()
            if answer:
                answer = _unless_qualified(answer, lines[i + 1 : i + 2])
            elif not line[mark.end():].strip():  # the answer may follow a list on lines of their own
                answer, list_end, more = _answer_below(lines[i + 1 : i + 1 + _MAX_LIST_LINES], answer_at)
                end = max(end, list_end)
            before = bisect_right(sentence_ends, mark.start())
            sentence = sentence_ends[before - 1] if before else 0
            if answer:
                start = _question_start(line, sentence, mark.start(), label=answer == "normal")
                found.append(AnsweredQuestion(offset + start, end, _read(line[start:mark.start()], answer), says_more=more,
                                              bare_from=_bare_from(line, start, mark.start(), offset)))
                if _TO_ALL.match(line, mark.end()):
                    found.extend(AnsweredQuestion(offset + q_start, offset + q_end, _read(line[q_start:q_end], answer))
                                 for q_start, q_end in unanswered)
                unanswered = []
            else:
                unanswered.append((max(sentence, previous_mark), mark.start()))
                start = _question_start(line, max(sentence, previous_mark), mark.start())
                if _UNREAD_REPLY.match(line, mark.end()) and (_QUESTION_OPENS.match(line, start, mark.start()) or (
                        _LABEL.fullmatch(line, start, mark.start()) and not _WRITERS_WORDS.search(line, start, mark.start()))):
                    unread.append(AnsweredQuestion(offset + start, offset + mark.start(), "unread"))
            previous_mark = mark.end()
        found.extend(unread)  # after every answer read: a question read twice takes the answer
    return found + advice_replies(text, words)


def _ticked(text: str) -> list[AnsweredQuestion]:
    """A form's tick boxes, when the text has two or more: a ticked one says yes to its label, an empty one no."""
    boxes = [m for m in _BOX.finditer(text) if m["label"].strip()]
    if len(boxes) < 2:
        return []
    return [AnsweredQuestion(m.start("label"), m.start("label") + len(m["label"].rstrip()),
                             _read(m["label"], "no" if m["empty"] or (m["box"].startswith("[") and not m["tick"]) else "yes"))
            for m in boxes]


def advice_replies(text: str, words: AnswerWords) -> list[AnsweredQuestion]:
    """Advice on warning signs answered "no" right after it, in its own sentence or after a dash, comma
    or "but": "... go to A&E if you get numbness round your bum or can't pee - I haven't, it's just my
    back", "The leaflet says if both legs go weak go to hospital. Mine aren't, thankfully." The answer
    covers the sentence that holds the advice. A reply answers nothing when it goes on to an exception
    ("none of those except ..."), when the advice says its condition has happened ("... if my bum went
    numb, which it has, but I haven't") or when the words after it say it in part ("It hasn't, it's just
    cold to touch").

    >>> import heelpath
    >>> words = heelpath.load().lexicon.answers
    >>> text = "The nurse said if my foot goes cold to ring 999. It hasn't, but it aches."
    >>> [(q.answer, text[q.start:q.end]) for q in advice_replies(text, words)]
    [('no', 'The nurse said if my foot goes cold to ring 999. ')]
    """
    starts = [0, *(m.end() for m in TEXT_SENTENCE_END.finditer(text))]
    found = []
    for reply in reply_pattern(words).finditer(text):
        own = bisect_right(starts, reply.start()) - 1  # the sentence the reply is in
        if not text[starts[own]:reply.start()].strip():  # it is the whole sentence: the advice is the one before
            own -= 1
        if _ANSWERS_A_LIST.search(reply[0]):  # "I read the list again ... I've got none of them": the list went before,
            # in the reply's paragraph unless the reply names it ("the list", "the card"): another's advice in the
            # paragraph before is not what "none of those" answers
            paragraph = bisect_left(starts, max((m.end() for m in _BLANK_LINE.finditer(text, 0, reply.start())), default=0))
            named = _NAMES_THE_LIST.search(text, starts[max(own, 0)], reply.start())
            own = max(own - 2, 0 if named else min(own, paragraph))
        following = bisect_right(starts, reply.end())  # the sentence after the reply's
        rest = text[reply.end():starts[following] if following < len(starts) else len(text)]
        if own >= 0 and not _AFFIRMED.search(text, starts[own], reply.start()) and not _STILL_SO.search(rest):
            found.append(AnsweredQuestion(starts[own], reply.start(), "no", conditions_only=True))
    return found


def _question_start(line: str, start: int, mark: int, label: bool = False) -> int:
    """Where the question ending at `mark` begins: at the first clause opening like a question ("Any fever, numbness
    or trouble peeing?", "..., do you think it's serious?"), at a question's words midway ("... how about bladder?"),
    or, for a bare label, after the clause before it ("Bum numb since Tues, legs weak, bladder? fine") and after the
    writer's own time words ("numb bum since monday bladder? fine"): what the writer said before is not asked. A reply
    that all is well answers a label, so for it the writer's own words are never the question ("cant feel when i wipe
    bladder? fine")."""
    clauses = [start, *(m.end() for m in _CLAUSE_BREAK.finditer(line, start, mark))]
    opening = next((c for c in clauses if _QUESTION_OPENS.match(line, c, mark)), None)
    if opening is not None:
        return opening
    asking = list(_ASKS_MIDWAY.finditer(line, clauses[-1], mark))  # "my bum is numb ... how about bladder?"
    if asking:
        return asking[-1].start()
    told = list((_WRITERS_WORDS if label else _WRITERS_STATEMENT).finditer(line, clauses[-1], mark))
    after_told = told[-1].end() if told else mark
    return after_told if re.search(r"\w", line[after_told:mark]) else clauses[-1]


def _bare_from(line: str, start: int, end: int, offset: int) -> int | None:
    """For a question that does not open like one (a label: "Bladder?", "numb bum bladder?"), where its last word
    begins."""
    if _QUESTION_OPENS.match(line, start, end) or _ASKS_MIDWAY.search(line, start, end):
        return None
    label = _QUESTION_TAIL.sub("", line[start:end])  # "Numbness anywhere?" is the label "Numbness"
    words = list(re.finditer(r"[\w'’]+", label))
    return offset + start + words[-1].start() if words else None


def _read(question: str, answer: Answer) -> Answer:
    """The answer, or "unknown" when a yes or no to this question may say the opposite of its words (a "normal"
    says the same whichever way it is asked)."""
    if answer in ("yes", "no") and _ASKS_NORMAL.search(question) and not _ASKS_PROBLEM.search(question):
        return "unknown"
    return answer


def _answer(pattern: re.Pattern[str], after: str) -> tuple[Answer | None, bool]:
    """The reply at the start of `after`, and whether a yes goes on to say more. A yes that goes on to a past
    episode, a doubt, a purpose, someone else or all being well ("yes last year with covid", "yes I think so",
    "yes on purpose", "yes my husband has", "yes passing urine normally") is not a yes to the sign now."""
    match = pattern.match(after)
    if not match:
        return None, False
    if match["yes_and"] or match["yes"] is not None:
        clauses = [c for c in _CLAUSE_END.split(after[match.end():].split("\n", 1)[0]) if re.search(r"\w", c)]
        if not clauses or (_YES_ALL.match(clauses[0].strip()) and not _YES_BUT.search(clauses[0])):
            return "yes", False
        # what the yes goes on to say first ("yes, under my left heel, it isn't getting better")
        return ("unknown" if _YES_BUT.search(clauses[0]) else "yes"), True
    kind: Answer = next(k for k in ("no", "unknown", "normal") if match[k] is not None)
    if kind == "normal" and not _REPLY_DONE.match(after, match.end()):  # "fine, just a bit of leaking"
        return "unknown", False
    return kind, False


def _unless_qualified(answer: Answer, next_line: list[tuple[int, str]]) -> Answer:
    """A reply that all is well, qualified on the next line ("fine" then "but I have leaked twice"), is asked."""
    return "unknown" if answer == "normal" and next_line and _GOES_ON.match(next_line[0][1]) else answer


def _answer_below(lines: list[tuple[int, str]], pattern: re.Pattern[str]) -> tuple[Answer | None, int, bool]:
    """The answer on a line of its own after a question, where the list before it ends, and whether it says more."""
    end = 0
    for i, (offset, line) in enumerate(lines):
        answer, more = _answer(pattern, line)
        if answer:
            return _unless_qualified(answer, lines[i + 1 : i + 2]), end, more
        if _REPLY_START.match(line):  # "yes just the first one": an answer that picks among the list is asked
            return "unknown", end, False
        if "?" in line:
            break
        end = offset + len(line.rstrip())
    return None, 0, False


def _lines(text: str) -> list[tuple[int, str]]:
    lines, offset = [], 0
    for line in text.split("\n"):
        lines.append((offset, line))
        offset += len(line) + 1
    return lines


def _alternatives(phrases: tuple[str, ...]) -> str:
    """Phrases longest first, an apostrophe written either way or left out ("haven't", "haven’t", "havent")."""
    return "|".join(re.escape(p).replace("'", "['’]?") for p in sorted(phrases, key=len, reverse=True))


@lru_cache(maxsize=4)
def reply_pattern(words: AnswerWords) -> re.Pattern[str]:
    """A whole "no" to advice: at a sentence's start or after a dash, comma or "but", and ended by
    punctuation, the text's end or words that move on ("just", "only", "thankfully")."""
    # look-behinds, so that the match starts at the reply's first word (a ConText cue's tokens)
    after = (r"(?:^|(?<=[.!?;\n])|(?<=[.!?;\n]\s)|(?<=[.!?;\n]\s\s)|(?<=\s[-–—]\s)|(?<=,)|(?<=,\s)|(?<=:\s)|(?<=\bbut\s)"
             r"|(?<=\band\s))")
    # not "yet", "gone", "been": "I haven't yet" / "I haven't gone" say where the writer went, not the sign
    ends = (r"(?=\s*(?:$|[,.;:!)\-–—])|\s+(?:just|only|but|thankfully|luckily|fortunately|so far|though|"
            r"touch wood|at the moment|for me|here|lol|tbh)\b)")
    exception = r"(?![^.!?\n]{0,60}?\b(?:apart from|except|other than|besides|bar|save for)\b)"
    # "Thankfully none of these.", "Thank God none of these", "but honestly I've got none of them"
    relief = r"(?:(?:thankfully|luckily|fortunately|happily|honestly|thank (?:god|goodness|heavens))[,!]?\s+)?"
    return re.compile(rf"{after}{relief}(?:{_alternatives(words.advice_replies)}){ends}{exception}", re.IGNORECASE)


@lru_cache(maxsize=4)
def _answer_pattern(words: AnswerWords) -> re.Pattern[str]:
    """An answer, perhaps labelled ("Answer: None of these")."""
    # a whole reply: ended by the line, by punctuation or by a dash standing apart
    # ...or a plain "yes" that goes on to say more ("yes it's white and cold as ice"), not one that says all is well
    # or only some of it ("yes fine", "yes just the first one"); a "no" that goes on may start a statement ("No
    # feeling at all"), so it is not read. An answer followed by a contrast is none ("denies, though he's ...")
    contrast = r"(?!\s*,?\s*(?:though|although|but|except|apart|however)\b)"
    goes_on = (r"(?P<yes_and>yes|yeah|yep|yup)\s+(?!(?:fine|normal|ok|okay|good|all|nothing|no|none|not|just|only|some|one|"
               r"the (?:first|second|third|last))\b)(?=\w)")
    reply = (
        rf"(?:(?P<unknown>{_alternatives(words.unknown)})|(?P<no>{_alternatives(words.no)})"
        rf"|(?:(?:yes|yeah|yep),?\s+)?(?P<normal>{_alternatives(words.normal)})|(?P<yes>{_alternatives(words.yes)}))"
        rf"(?=\s*$|\s*[,.;:!()/\-–—]){contrast}"
        rf"|{goes_on}"
    )
    label = rf"(?:(?:{_alternatives(words.labels)})\s*[:\-–—]\s*)"
    return re.compile(rf"\s*{label}?(?:{reply})", re.IGNORECASE)
