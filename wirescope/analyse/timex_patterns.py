"""The time stage's lexicon (data/timex.yaml) and the regular expressions built from it, once.

Word lists become trie-shaped alternations (so a scan tries a few characters per position, not
every word), each pattern is compiled once per process (`patterns()` is cached).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable



def lexicon() -> dict[str, Any]:
    from wirescope.lexicon import load

    return load("timex.yaml")


def _words_regex(words: Iterable[str]) -> str:
    """A trie-shaped, case-insensitive alternation of words; spaces match any whitespace run."""
    trie: dict = {}
    for word in set(words):
        node = trie
        for ch in word.lower():
            node = node.setdefault(ch, {})
        node[""] = True

    def emit(node: dict) -> str:
        end = "" in node
        branches = []
        for ch in sorted(k for k in node if k):
            piece = r"\s+" if ch == " " else re.escape(ch)
            branches.append(piece + emit(node[ch]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return "(?:" + body + ")?" if end else body

    return "(?:" + emit(trie) + ")"


def norm_key(text: str) -> str:
    """Lookup key for a matched phrase: lowercase, single spaces, curly apostrophes straight."""
    return " ".join(text.lower().replace("\u2019", "'").split())


@dataclass(frozen=True)
class Patterns:
    lex: dict[str, Any]
    months: dict[str, int]          # lowercase full names and abbreviations -> month
    month_full: frozenset[str]
    weekdays: dict[str, int]
    weekday_full: frozenset[str]
    numbers: dict[str, float]
    vague: frozenset[str]
    ordinals: dict[str, int]
    units: dict[str, str]
    seasons: dict[str, str]
    dayparts: dict[str, str]
    references: dict[str, str]
    point_mods: dict[str, str]
    duration_mods: dict[str, str]
    frequency: dict[str, str]
    holidays: dict[str, Any]
    named_dates: dict[str, str]
    named_date_nouns: frozenset[str]
    zones: dict[str, str]
    quantity_words: frozenset[str]
    year_determiners: frozenset[str]
    weekly_customs: frozenset[str]
    future_cues: re.Pattern
    past_cues: re.Pattern
    regexes: tuple[tuple[str, re.Pattern, int, frozenset[str]], ...]  # (handler, pattern, priority, needs)
    trigger_rx: re.Pattern  # finds trigger words and numbers in lowercased text
    trigger_classes: dict[str, frozenset[str]]      # lowercase word -> classes it belongs to
    cap_trigger_classes: dict[str, frozenset[str]]  # the same, for words that count only capitalised


# words ending in -ed that are not past-tense verbs (or point forward)
_NOT_PAST = (r"(?:hundred|based|speed|proceed|succeed|exceed|red|bed|shed|united|limited|interested|"
             r"concerned|detailed|related|expected|scheduled|planned|armed|unnamed|unidentified|"
             r"alleged|so-called|advanced|experienced|talented|sophisticated)\b")


# which trigger classes each pattern's match always contains (digit_* classes are read off
# numbers: a plausible year, "3/4" or "14:30", "11th", "90s")
NEEDS: dict[str, frozenset[str]] = {k: frozenset(v.split()) for k, v in {
    "iso": "digit_year", "ymd_slash": "digit_year", "numeric": "digit_year digit_sep", "named": "digit_sep",
    "mdy": "month", "dmy": "month", "ordmonth": "month", "month": "month", "dom": "digit_ord",
    "weekday": "weekday", "relday": "relday", "thispart": "daypart", "thepart": "daypart", "relunit": "unit season",
    "unitrel": "unit", "modthe": "unit", "bareunit": "unit", "duration": "unit", "weekend": "unit", "halfunit": "unit", "vaguedur": "unit", "recent": "unit",
    "ref": "ref", "year": "digit_year", "decade2": "digit_s", "decadeword": "decadeword", "century": "unit",
    "quarter": "unit", "qcode": "qcode", "yq": "qcode", "season": "season", "yseason": "season",
    "holiday": "holiday", "clock": "clock", "clock24": "digit_sep", "military": "clock", "oclock": "clock",
    "noon": "clock", "every": "unit daypart", "times": "unit", "perunit": "unit", "freqword": "freq",
}.items()}


def _one_line(rx: str) -> str:
    """Whitespace inside a time expression never crosses a line break (a headline ending in
    "Friday" is not one expression with the date line under it)."""
    return rx.replace(r"[\s-]", r"(?:[^\S\n]|-)").replace(r"\s", r"[^\S\n]")


def _lower_map(d: dict) -> dict:
    return {norm_key(str(k)): v for k, v in d.items()}


@lru_cache(maxsize=1)
def patterns() -> Patterns:
    lex = lexicon()
    months = _lower_map({**lex["month_abbreviations"], **lex["months"]})
    weekdays = _lower_map({**lex["weekday_abbreviations"], **lex["weekdays"]})
    numbers = _lower_map(lex["numbers"])
    ordinals = _lower_map(lex["ordinals"])
    units = _lower_map(lex["units"])
    seasons = _lower_map(lex["seasons"])
    dayparts = _lower_map(lex["dayparts"])
    references = _lower_map(lex["references"])
    point_mods = _lower_map(lex["point_modifiers"])
    duration_mods = _lower_map(lex["duration_modifiers"])
    frequency = _lower_map(lex["frequency_words"])
    holidays = _lower_map(lex["holidays"])
    named_dates = {str(k): str(v) for k, v in lex["named_dates"].items()}
    zones = {str(k): str(v) for k, v in lex["time_zones"].items()}
    vague = frozenset(norm_key(v) for v in lex["vague_numbers"])

    W = _words_regex
    MONTH = W(months)
    WD_FULL = W(_lower_map(lex["weekdays"]))
    WD_ANY = W(weekdays)
    tens = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    small = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    NUMWORD = (r"(?:" + W(tens) + r"[\s-]" + W(small) + r"|" + W(numbers) + r")")
    NUM = r"(?:\d+(?:\.\d+)?|" + NUMWORD + "|" + W(vague) + ")"
    UNIT = W(units)
    ORD = W(ordinals)
    PMOD = W(point_mods)
    DMOD = W(duration_mods)
    SEASON = W(seasons)
    DAYPART = W(dayparts)
    ZONE = W(zones)
    REL = r"(?:last|next|this|coming|past|previous|following|current|same|preceding|prior|that)"
    Y4 = (r"(?<![\w$€£#.,/])(?:(?<=mid-)|(?<=end-)|(?<=pre-)|(?<=post-)|(?<![a-z]-))"
          r"([12]\d{3})(?![\d])(?!,\d{3})(?!\.\d)")

    def y(name: str) -> str:
        return Y4.replace("([12]", f"(?P<{name}>[12]", 1)

    DAYNUM = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?![\d:/])"
    # "of this year", "of the following year": the year of a month or a date said relative to a time
    YREL = r"\s+of\s+(?P<yrel>this|last|next|that|the\s+same|the\s+following|the\s+previous|the\s+preceding)\s+year\b"
    src: list[tuple[str, str, int]] = [
        # numeric dates
        ("iso", r"(?<![\w/.-])(?P<y>[12]\d{3})-(?P<m>[01]\d)-(?P<d>[0-3]\d)"
                r"(?:[T ](?P<h>[0-2]\d):(?P<mi>[0-5]\d)(?::[0-5]\d(?:\.\d+)?)?(?P<z>Z|[+-][0-2]\d:?[0-5]\d)?)?"
                r"(?![\w/-])", 9),
        ("ymd_slash", r"(?<![\w/.-])(?P<y>[12]\d{3})/(?P<m>[01]?\d)/(?P<d>[0-3]?\d)(?![\w/])", 9),
        ("numeric", r"(?<![\w/.-])(?P<a>[0-3]?\d)(?P<sep>[/.-])(?P<b>[0-3]?\d)(?P=sep)(?P<c>[12]\d{3}|\d{2})(?![\w/]|[.-]\d)", 8),
        ("named", r"(?<![\w/-])(?:(?P<pp>pre|post)[\s-])?(?P<nd>"
                  + "|".join(re.escape(k) for k in sorted(named_dates, key=len, reverse=True)) + r")(?![\w/])", 9),
        # written dates
        ("mdy", r"\b(?:(?P<wd>" + WD_ANY + r")\.?,?\s+)?(?:(?P<mod>" + PMOD + r")[\s-]+)?(?P<mon>" + MONTH
                + r")\.?\s+" + DAYNUM + r"(?:,?\s+" + y("y") + "|" + YREL + r")?", 7),
        ("dmy", r"\b(?:(?P<wd>" + WD_ANY + r")\.?,?\s+)?(?:the\s+)?(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?:\s+of)?\s+(?P<mon>"
                + MONTH + r")\b\.?(?:,?\s+" + y("y") + "|" + YREL + r")?", 7),
        ("ordmonth", r"\bthe\s+(?P<o>" + ORD + r")\s+of\s+(?P<mon>" + MONTH + r")\b\.?(?:,?\s+" + y("y") + "|" + YREL + r")?", 7),
        # "early this June", "that September", "the following March", "January of this year"
        ("month", r"\b(?:(?P<mod0>early|mid|late)[\s-]+(?=(?:this|last|next|that|past|coming)\s))?(?:(?P<the>the)\s+(?=(?:same|following|"
                  r"previous|preceding|prior)\s))?(?:(?P<rel>" + REL + r")\s+)?(?:(?P<mod>" + PMOD + r")[\s-]+)?(?P<mon>" + MONTH
                  + r")\b\.?(?:,?\s+(?:of\s+)?" + y("y") + "|" + YREL + r")?", 6),
        ("dom", r"\b(?:on|by|until|till|since|from|before|after|through)\s+(?P<x>the\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th))\b", 5),
        # weekdays, days, relative units
        ("weekday", r"\b(?:(?P<q>every|each)\s+(?:other\s+)?)?(?:(?P<wmod>early|late)\s+)?(?:this\s+(?=past\b))?(?:(?P<rel>last|next|this|coming|past|previous|that)\s+)?"
                    r"(?P<wd>" + WD_FULL + r")(?P<pl>s)?\b(?:\s+(?P<dp>" + DAYPART + r")\b)?", 6),
        ("relday", r"\b(?:(?P<pre>earlier|later|early|late)\s+)?(?P<rd>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow"
                   r"|today|tonight|yesterday|tomorrow|last\s+night|overnight)\b(?:\s+(?P<dp>" + DAYPART + r")\b)?", 6),
        ("thispart", r"\b(?P<rel>this|that|the\s+same)\s+(?P<dp>morning|afternoon|evening|night)\b", 5),
        # "during the evening", "in the morning": that part of the day last mentioned
        ("thepart", r"\b(?:during|in|on|through|throughout|until|till)\s+(?P<x>the\s+(?P<dp>morning|afternoon|evening))\b"
                    r"(?!\s+(?:of|after|before|hours)\b)", 4),
        ("relunit", r"\b(?:(?P<pre>earlier|later)\s+)?(?:(?P<mod>" + PMOD + r")\s+)?(?:(?P<the>the)\s+)?(?:this\s+(?=past\b))?(?P<rel>" + REL
                    + r")\s+(?P<unit>week|month|year|weekend|quarter|decade|century|fortnight|day|" + SEASON + r")\b", 6),
        # "the end of the year", "the start of the month": the unit the reference time is in
        ("modthe", r"\b(?P<mod>the\s+(?:end|start|beginning|middle|close)\s+of)\s+the\s+(?P<unit>week|month|year)\b", 6),
        # "Hours later, ...", "Minutes earlier": vague amounts of small units off the reference time
        ("bareunit", r"(?:(?<=^)|(?<=[\n.,;:]\s)|(?<=\n))(?P<u>[Hh]ours|[Mm]inutes)\s+(?P<post>later|earlier|afterwards)\b", 6),
        ("unitrel", r"\b(?:the|a|that)\s+(?P<unit>day|week|month|year)\s+(?P<post>before|after|earlier|later)\b(?!\s+(?:the|a|an|his|her|its|their|this|that)\b)(?=\s*(?:[,.;:)!?]|\n|$))", 6),
        ("duration", r"\b(?:(?P<dm>" + DMOD + r")\s+)?(?:(?P<the>the)\s+(?P<rel>past|last|next|previous|coming|following|first|final|latest)\s+)?"
                     r"(?P<num>" + NUM + r")(?P<half>\s+and\s+a\s+half)?[\s-]+(?P<unit>" + UNIT + r")\b(?P<half2>\s+and\s+a\s+half)?"
                     r"(?:\s+(?P<post>ago|later|earlier|before|after|afterwards|from\s+now|hence|back|previously|on(?=\s*[,.;]))\b)?", 6),
        ("weekend", r"\b(?:(?P<mod>" + PMOD + r")\s+)?the\s+weekend\b", 5),
        ("halfunit", r"\b(?:(?P<dm>" + DMOD + r")\s+)?half\s+an?\s+(?P<unit>year|month|day|hour|century|decade)\b", 6),
        ("vaguedur", r"\b(?P<pre>for|over\s+the|in|within)\s+(?P<u>years|decades|months|weeks|days|hours|centuries|ages)\b", 4),
        ("recent", r"\b(?:(?P<the>the)\s+)?(?P<w>recent|coming|next\s+few|upcoming)\s+(?P<u>years|decades|months|weeks|days|hours|times)\b", 6),
        ("ref", r"\b(?P<r>" + W(references) + r")\b", 5),
        # years, decades, centuries, quarters, seasons
        ("year", r"(?:\b(?P<fy>fiscal(?:\s+year)?|fy)\s*)?(?:\b(?:(?P<the>the)\s+)?(?P<mod>" + PMOD + r")[\s-]+)?"
                 + y("y") + r"(?P<s>'?s)?\b", 5),
        ("decade2", r"(?:\b(?:the\s+)?(?P<mod>" + PMOD + r")[\s-]+)?(?:(?<=\s)|^)(?:(?P<the>the)\s+)?(?P<ap>['’])?(?P<yy>[1-9]0)'?s\b", 5),
        ("decadeword", r"\b(?:the\s+)?(?:(?P<mod>early|mid|late)[\s-]+)?(?P<w>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\b", 5),
        ("century", r"\b(?:the\s+)?(?:(?P<mod>" + PMOD + r")[\s-]+)?(?:the\s+)?(?P<c>\d{1,2}(?:st|nd|rd|th)|" + ORD + r")[\s-]+century\b", 6),
        ("quarter", r"\b(?:the\s+)?(?P<o>first|second|third|fourth|final|last|1st|2nd|3rd|4th)\s+(?P<qh>quarter|half)\b"
                    r"(?:\s+of\s+(?:(?P<qthe>the\s+)?(?:(?P<qrel>this|last|next|current|previous|following|same)\s+)?(?:(?P<qfy>fiscal)\s+)?year|" + y("y") + r"))?", 7),
        ("qcode", r"(?<![\w-])(?P<qc>[qh][1-4])(?![\w-])(?:\s+" + y("y") + r")?", 7),
        ("yq", y("y") + r"\s+(?P<qc>[qh][1-4])\b", 7),
        ("season", r"\b(?:(?P<rel>last|next|this|coming|past|previous)\s+)?(?:(?P<mod>early|mid|late)[\s-]+)?(?P<se>" + SEASON
                   + r")\b(?:\s+(?:of\s+)?" + y("y") + r")?", 5),
        ("yseason", y("y") + r"\s+(?P<se>" + SEASON + r")\b", 6),
        ("holiday", r"\b(?:(?P<rel>last|next|this|coming)\s+)?(?P<hd>" + W(holidays) + r")(?![\w-])(?:,?\s+" + y("y") + r")?", 6),
        # clock times
        ("clock", r"(?<![\w:.])(?P<h>[01]?\d|2[0-3])(?::(?P<mi>[0-5]\d))?\s*(?P<ap>[ap]\.?\s?m\b\.?)(?:\s+(?P<tz>" + ZONE + r")\b)?"
                  r"(?:\s+(?P<rd>today|tomorrow|yesterday)\b)?", 7),
        ("clock24", r"(?<![\w:.])(?P<h>[01]?\d|2[0-3])[:.](?P<mi>[0-5]\d)(?![\d:])(?:\s*(?:hours|hrs|h)\b)?(?:\s+(?P<tz>" + ZONE + r")\b)?", 6),
        ("military", r"(?<![\w:.,])(?P<h>[01]\d|2[0-3])(?P<mi>[0-5]\d)(?:\s+hours)?\s+(?P<tz>" + ZONE + r")\b", 7),
        ("oclock", r"\b(?P<h>\d{1,2}|" + W(small + ["ten", "eleven", "twelve"]) + r")\s+o['’]clock\b", 7),
        # "noon today", "midday tomorrow", "midnight on Tuesday" is the weekday's own pattern
        ("noon", r"\b(?P<n>noon|midday|midnight)\b(?:\s+(?P<rd>today|tomorrow|yesterday)\b)?", 5),
        # sets
        ("every", r"\b(?P<q>every|each)\s+(?:other\s+)?(?:(?P<num>" + NUMWORD + r"|\d+)\s+)?(?P<u>" + UNIT + "|" + DAYPART
                  + r"|weekend|weekends)\b", 7),
        ("times", r"\b(?P<t>once|twice|thrice|(?:" + NUMWORD + r"|\d+)\s+times)\s+(?:a|an|per|each|every)\s+(?P<u>year|month|week|day|hour|decade)\b", 8),
        ("perunit", r"\b(?P<a>per|a|an)\s+(?P<u>year|month|week|day|hour|annum)\b", 6),
        ("freqword", r"\b(?P<w>" + W(frequency) + r")\b", 5),
    ]
    # the patterns run on the lowercased text; handlers read capitalisation from the original
    # text at the same offsets. Each pattern only runs near a word of the classes it needs.
    regexes = tuple((name, re.compile(_one_line(rx)), prio, NEEDS[name]) for name, rx, prio in src)

    def cue_regex(words: list[str]) -> re.Pattern:
        return re.compile(r"(?<![\w'])(?:" + W(norm_key(w) for w in words) + r")(?![\w'])", re.IGNORECASE)

    # trigger words: every expression holds at least one word of a class its pattern needs
    stop = {"the", "a", "an", "in", "at", "of", "for", "to", "by", "on", "or", "and", "this", "these", "that",
            "just", "right", "very", "down", "before", "upon", "due", "s", "once", "times", "past", "future"}
    classes: dict[str, set[str]] = {}
    cap_classes: dict[str, set[str]] = {}

    def add(table: dict[str, set[str]], words: Iterable[str], cls: str) -> None:
        for w in words:
            table.setdefault(w, set()).add(cls)

    def words_of(phrases: Iterable[str]) -> list[str]:
        return [w for ph in phrases for w in re.split(r"[\s-]+", ph) if w and w not in stop]

    add(classes, words_of(units) + ["weekend", "weekends", "half", "annum"], "unit")
    add(classes, seasons, "season")
    add(classes, dayparts, "daypart")
    add(classes, words_of(references) + ["past", "future"], "ref")
    add(classes, frequency, "freq")
    add(classes, ["today", "tonight", "yesterday", "tomorrow", "night", "overnight"], "relday")
    add(classes, ["noon", "midday", "midnight", "o'clock", "o’clock", "a.m", "p.m", "am", "pm"]
        + [z.lower() for z in zones], "clock")
    add(classes, ["twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties", "nineties"],
        "decadeword")
    add(cap_classes, months, "month")
    add(cap_classes, list(weekdays) + [w.lower() + "s" for w in lex["weekdays"]], "weekday")
    add(cap_classes, ["q1", "q2", "q3", "q4", "h1", "h2"], "qcode")
    # a holiday's last word is distinctive enough ("Eid al-Fitr": "fitr"; "Eid" is its own entry)
    add(cap_classes, [re.split(r"[\s-]+", ph)[-1] for ph in holidays], "holiday")
    trigger_rx = re.compile(r"(?<![a-z0-9'’])" + W(list(classes) + list(cap_classes)) + r"(?![a-z])"
                            r"|\d[\d:/.,]*(?:-?[a-z'’]+)?")
    return Patterns(
        trigger_rx=trigger_rx,
        trigger_classes={k: frozenset(v) for k, v in classes.items()},
        cap_trigger_classes={k: frozenset(v) for k, v in cap_classes.items()},
        lex=lex, months=months, month_full=frozenset(_lower_map(lex["months"])), weekdays=weekdays,
        weekday_full=frozenset(_lower_map(lex["weekdays"])), numbers=numbers, vague=vague, ordinals=ordinals,
        units=units, seasons=seasons, dayparts=dayparts, references=references, point_mods=point_mods,
        duration_mods=duration_mods, frequency=frequency, holidays=holidays, named_dates=named_dates,
        named_date_nouns=frozenset(norm_key(w) for w in lex["named_date_nouns"]), zones=zones,
        quantity_words=frozenset(norm_key(w) for w in lex["quantity_words"]),
        year_determiners=frozenset(norm_key(w) for w in lex["year_determiners"]),
        weekly_customs=frozenset(norm_key(w) for w in lex["weekly_customs"]),
        future_cues=cue_regex(lex["future_cues"]),
        past_cues=re.compile(r"(?<![\w'])(?:" + W(norm_key(w) for w in lex["past_cues"])
                             + r"|(?!" + _NOT_PAST + r")[a-z]{2,}(?<!e)ed)(?![\w'])", re.IGNORECASE),
        regexes=regexes,
    )
