"""How far a ConText modifier reaches: list-aware scope callbacks.

medspaCy's ConText lets a forward cue such as "no" or "denies" modify everything to the end of the
sentence. Clinic notes string statements together with commas ("SLR +ve R, AJ absent L, Thompson
neg, no saddle anaesthesia") and lay text continues after a comma ("no tingling, it's worse in the
morning"), so a cue's reach is cut where a new statement begins. A negated list ("denies fever,
night sweats or weight loss") still carries the negation to its end.

The callbacks follow medspaCy's ``on_modifies(target, modifier, span_between) -> bool`` signature.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from heelpath.knowledge.lexicon import ScopeWords

OnModifies = Callable[[Any, Any, Any], bool]

# punctuation that always ends a statement, for cues reading backwards ("Thompson neg")
_HARD_BREAKS = frozenset({";", ":", ",", "."})
_STARTER_WINDOW = 3
# a dash standing apart ends a denial ("no fever - my legs keep giving way"), not "bluey-grey"; a relative's
# story or a card's list runs on after one ("he couldn't wee - went numb", "a sepsis card - confusion")
_DASHES = frozenset({"-", "–", "—", "--"})
# "nothing wrong with my waterworks or my bowels": after these a clause opener still continues the list
_DISJUNCTIONS = frozenset({"or", "nor"})
_CONDITIONS_GO_ON = _DISJUNCTIONS | {"plus"}  # "Watch out for a fever plus the skin going black"
# a condition told as a sequence of states goes on ("the leaflet says it starts cold and prickly, then numb"); a
# subject after it starts a statement ("as if she's climbing stairs, and then the foot slaps down")
_SEQUENCE = "then"
_WRITERS_OWN = frozenset({"my", "mine", "myself"})
# words after a joiner that refer back to what came before ("numb for a week but it has settled now")
_REFERS_BACK = frozenset({"it", "that", "they", "which", "so", "but", "and"})
_CONTRASTS = frozenset({"but", "though", "although", "whereas", "while", "yet", "with"}) | _DASHES
_ITEM_SEPARATORS = frozenset({",", "/", "&", "+"})
_TIME_WORDS = frozenset({"now", "then", "also", "since", "luckily", "thankfully"})
_REASON_SUBJECTS = frozenset({"i", "my", "both", "the", "his", "her", "it", "they", "he", "she", "we", "me"})
# "can't walk far without my back hurting" says the back hurts: "without" a few words after an inability denies
# nothing ("I can't believe I've gone 3 weeks without any fever" and "can't ..., but I'm without" still deny)
_INABILITY = re.compile(r"\b(?:can['’]?t|cannot|can not|couldn['’]?t|unable to|not able to|hard to)\s+"
                        r"(?!believe|imagine|remember|wait|say|tell|think|be\b)(?:(?!but\b|and\b)[\w'’]+\s+){0,6}$",
                        re.IGNORECASE)


# words that bring a story told in the past back to the present ("Two months ago I had a fall and now I can't ...");
# a past told by its date also runs on through "still" and "since" ("back in March I still couldn't walk")
_BACK_TO_NOW = frozenset({"now", "currently", "today", "tonight", "still", "since", "anymore"})
_PRESENT = frozenset({"now", "currently", "today", "tonight", "nowadays", "lately", "recently"})


def _says_now(token: Any, words: frozenset[str]) -> bool:
    """Whether the token is one of `words` that bring a story back to the present: not "now" in "now and then"."""
    if token.lower_ not in words:
        return False
    following = token.doc[token.i + 1 : token.i + 3]
    return not (token.lower_ == "now" and len(following) == 2 and following[0].lower_ == "and"
                and following[1].lower_ in ("then", "again"))


def sentence_scope(target: Any, modifier: Any, between: Any) -> bool:
    """A scope over the whole sentence, as far as a word that brings it back to the present."""
    # medspaCy's span between a backward cue and its target runs to the cue's end: the cue's own words are not between
    return not any(_says_now(token, _BACK_TO_NOW) for token in between if not modifier.start <= token.i < modifier.end)


def list_scope(words: ScopeWords, denial: bool = False, relative: bool = False, conditional: bool = False,
               past: bool = False, mentions: tuple[str, ...] = (), sexes: Mapping[str, str] | None = None) -> OnModifies:
    """A scope that runs along a list but stops where a new statement starts.

    Parameters
    ----------
    words
        The lexicon's clause starters, list joiners and assertive words.
    denial
        The scope of a denial: it also ends at ``denial_ends`` words and at a dash standing apart.
    relative
        The scope of a relative's story: it ends only where the writer speaks of themselves
        (``writer_words`` after a joiner); a verb sharing the relative as subject goes on with it.
    conditional
        The scope of a condition ("if"): a clause joined by "or" is another condition ("if my foot went
        cold, or I got a fever").
    past
        The scope of a time gone by: it ends at a word of the present, punctuated or not ("sciatica down both legs
        back in march but that all settled now its just my heels").
    mentions
        The span groups that hold the matched mentions: in a denial, a subject straight after one starts a
        new statement, punctuated or not ("no fever i cant feel my bum").
    sexes
        Relation word -> "female" or "male": a relative's story ends at "she" after "Daddy" and at "he" after
        "Mum" ("asked was Daddy home from work yet - he's dead twenty years - and she hasn't a notion what day it is").

    Returns
    -------
    callable
        ``on_modifies(target, modifier, span_between) -> bool``.
    """

    subjects = words.clause_starters | words.clause_openers

    def starts_clause(rest: list[Any]) -> bool:
        for j, t in enumerate(rest[:_STARTER_WINDOW]):
            if conditional and t.lower_ in _DISJUNCTIONS:  # "if it went red and hot or I got a fever": another condition
                return False
            if t.lower_ in words.clause_starters and not (
                    conditional and t.lower_ == _SEQUENCE and rest[j + 1 :] and rest[j + 1].lower_ not in subjects):
                return True
        return False

    def on_modifies(target: Any, modifier: Any, between: Any) -> bool:
        tokens = list(between)
        target_tokens = list(target)
        if relative and (_the_writers(target) or _reported(tokens, words) or _other_sex(modifier, tokens, sexes)):
            return False
        if denial and (_runs_on(tokens + target_tokens[:1], words, mentions) or _after_inability(modifier)):
            return False
        crossed_joiner = False
        last_joiner = ""
        for i, token in enumerate(tokens):
            text = token.lower_
            if text == ";" or (denial and (text in words.denial_ends or _is_spaced_dash(token))) or (
                    past and _says_now(token, _PRESENT)):
                return False
            # "No fall, no sport: I was crossing the car park when ...": a colon before a subject opens a statement
            if denial and text == ":" and (tokens[i + 1 :] + target_tokens)[0].lower_ in words.clause_starters:
                return False
            # a reason given with "as" is the writer's own ("I couldn't get off the sofa as both my legs were so weak")
            if denial and text == "as" and (tokens[i + 1 :] + target_tokens)[0].lower_ in _REASON_SUBJECTS:
                return False
            if text in words.list_joiners:
                crossed_joiner, last_joiner = True, text
                rest = tokens[i + 1 :] + target_tokens
                following = rest[:_STARTER_WINDOW]
                if conditional and (text in _CONDITIONS_GO_ON or (following and following[0].lower_ in _DISJUNCTIONS)):
                    continue
                if relative:
                    if any(t.lower_ in words.writer_words for t in following) or _writer_last_named(tokens[:i], words):
                        return False
                    continue
                if following and following[0].lower_ in words.clause_openers and text not in _DISJUNCTIONS:
                    return False
                # "I couldn't stand up and wet myself", "No bladder problems, can't feel when I've opened my bowels",
                # "denies fever, c/o leg weakness": a verb after "and" or a comma starts a statement of its own
                if denial and text in ("and", ",") and following and (
                        following[0].lower_ in words.run_on_verbs
                        or (text == "," and following[0].lower_ in words.statement_verbs)):
                    return False
                if starts_clause(rest):
                    return False
        # "no fever, sciatica in both legs now": an item after a comma that is dated now is a statement
        if denial and last_joiner == "," and _closes_with(target, words.statement_ends):
            return False
        # "No fever, foot cold and pale", "No injury, wet myself": an item after a comma that says a state is a statement
        if denial and last_joiner in _ITEM_SEPARATORS and any(token.lower_ in words.state_words for token in target):
            return False
        # "no weakness, reduced sensation": a match that states its own result keeps it
        return not (crossed_joiner and states_own_result(target, words))

    return on_modifies


def predicate_scope(words: ScopeWords, denial: bool = False, mentions: tuple[str, ...] = ()) -> OnModifies:
    """A scope for cues that negate a predicate ("not", "doesn't"): a list scope ended by a comma."""
    along_list = list_scope(words, denial, mentions=mentions)

    def on_modifies(target: Any, modifier: Any, between: Any) -> bool:
        if any(token.text in (";", ":") for token in between):
            return False
        if any(token.text == "," for token in between) and not (denial and _a_list_with_or(target, between, words)):
            return False
        return along_list(target, modifier, between)

    return on_modifies


def _a_list_with_or(target: Any, between: Any, words: ScopeWords) -> bool:
    """Whether a comma after a denied predicate goes on with a list of things the predicate denies, closed by "or"
    ("I haven't had any fever, chills, confusion or weight loss"; "I don't have back pain, bladder problems or
    numbness"), not with a statement of its own ("I'm not sleeping, my legs are weak"): the items hold no verb nor
    subject, and an "or" joins them, before the target or just after it."""
    after_comma = list(between)[next(i for i, t in enumerate(between) if t.text == ",") :]
    said = words.clause_starters | words.run_on_verbs | words.statement_verbs
    if any(t.lower_ in said for t in after_comma):
        return False
    if any(t.lower_ in _DISJUNCTIONS for t in after_comma):
        return True
    for token in target.doc[target.end : target.end + 8]:
        if token.lower_ in _DISJUNCTIONS:
            return True
        if (token.is_punct and token.text != ",") or token.lower_ in said:
            return False
    return False


def adjacent_scope(words: ScopeWords, mentions: tuple[str, ...] = (), settles: bool = True) -> OnModifies:
    """A scope for cues that read backwards ("Thompson neg"): no crossing of punctuation, nor of a new statement
    in unpunctuated text ("numb round my bum ... the pain in my back it's back to normal"), nor, for a cue that
    `settles` (denies, dates or gives to a relative), of a joined clause. A cue that leaves things open reaches
    a list ("A numb bum and the legs going weak means go to A&E", "Any numbness or tingling?")."""

    def on_modifies(target: Any, modifier: Any, between: Any) -> bool:
        start, end = modifier.start, modifier.end  # a cue's own punctuation (", but that cleared") is no break
        if any(token.text in _HARD_BREAKS for token in between if not start <= token.i < end):
            return False
        before_cue = [token for token in between if not start <= token.i < end]
        return not (_runs_on([*between, *modifier[:1]], words, mentions)
                    or (settles and _new_clause(before_cue, words)))

    return on_modifies


def _closes_with(target: Any, ends: frozenset[str], window: int = 5) -> bool:
    """Whether one of `ends` follows the target before its list item ends."""
    for token in target.doc[target.end : target.end + window]:
        if token.is_punct or token.lower_ in ("and", "or", "nor"):
            return False
        if token.lower_ in ends:
            return True
    return False


def _runs_on(tokens: list[Any], words: ScopeWords, mentions: tuple[str, ...]) -> bool:
    """Whether a new statement starts among `tokens` without punctuation: a subject straight after a mention
    or a word that closes a denial ("no fever i cant feel my bum", "no injury at all my legs are weak"), not
    after a word that carries the denial on ("I haven't noticed my legs getting weaker")."""
    if not tokens or not mentions:
        return False
    doc = tokens[0].doc
    ends = {span.end for group in mentions for span in doc.spans.get(group, [])}
    said = words.run_on_verbs | words.state_words
    return any(
        (token.i in ends or previous.lower_ in words.denial_closers)
        and ((token.lower_ in words.run_on_subjects and any(t.lower_ in said for t in doc[token.i + 1 : token.i + 4]))
             or (token.lower_ in words.statement_verbs and token.lower_ != "with"))  # "no pain with walking" goes on
        for previous, token in zip(tokens, tokens[1:])
    )


def _new_clause(tokens: list[Any], words: ScopeWords) -> bool:
    """Whether a joined clause comes before a backward cue ("My bum is numb and the fever has cleared up", "I can't
    pee but I feel fine", "... and bloods are normal"): the cue is about that clause only. A word that refers back
    goes on ("... and it cleared up"). Two things named together and said to be better ("the fever and the shakes
    have gone") are then read apart, which may over-call but never settles a warning sign told in a clause of its
    own."""
    words_after = [t.lower_ for t in tokens if t.lower_ not in _TIME_WORDS] + [""]
    return any((joiner in words.list_joiners or joiner in _CONTRASTS) and joiner not in _DISJUNCTIONS
               and (following not in _REFERS_BACK or after in ("one", "other"))  # "but that one is fine"
               for joiner, following, after in zip(words_after, words_after[1:], words_after[2:]))


def _the_writers(target: Any) -> bool:
    """Whether the writer's own possessive names what the target is about ("My mum says my foot looks cold")."""
    before = target.doc[target.start - 1 : target.start] if target.start else []
    return any(token.lower_ in _WRITERS_OWN for token in [*before, *target])


def _writer_last_named(tokens: list[Any], words: ScopeWords) -> bool:
    """Whether the writer is the last person named in `tokens` ("unless my husband hauls me, both legs won't push":
    what follows the comma is the writer's)."""
    people = [t.lower_ for t in tokens if t.lower_ in words.writer_words or t.lower_ in words.third_person]
    return bool(people) and people[-1] in words.writer_words


_PRONOUN_SEX = {"she": "female", "he": "male"}


def _other_sex(modifier: Any, tokens: list[Any], sexes: Mapping[str, str] | None) -> bool:
    """Whether a subject pronoun of the other sex than the relative's comes between them."""
    sex = (sexes or {}).get(modifier.text.lower())
    return sex is not None and any(_PRONOUN_SEX.get(t.lower_, sex) != sex for t in tokens)


def _reported(tokens: list[Any], words: ScopeWords) -> bool:
    """Whether a relative or partner reports something of no one else ("My husband says go to hospital with the
    fever"): a reporting verb with no third person after it."""
    said = next((i for i, t in enumerate(tokens) if t.lower_ in words.reporting_verbs), None)
    return said is not None and not any(t.lower_ in words.third_person for t in tokens[said + 1 :])


def _after_inability(cue: Any) -> bool:
    """Whether the cue is a "without" after "can't" in its sentence ("can't stand on tiptoe without pain")."""
    return cue.text.lower() in ("without", "w/o", "w/out") and bool(_INABILITY.search(cue.doc.text[cue.sent.start_char:cue.start_char]))


def _is_spaced_dash(token: Any) -> bool:
    return token.text in _DASHES and token.i > 0 and bool(token.doc[token.i - 1].whitespace_)


def states_own_result(target: Any, words: ScopeWords) -> bool:
    """Whether a matched span carries its own result word ("AJ absent", "SLR +ve")."""
    return any(token.lower_ in words.assertive_words or (token.like_num and "." in token.text) for token in target)
