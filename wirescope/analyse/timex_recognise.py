"""Recognition half of the time stage: candidate spans from the patterns in timex_patterns.

Each pattern only runs on the stretches of text around the words it needs (a month name, a
unit, a plausible year...), on the lowercased text; a handler per pattern turns a match into a
`Cand` (span, TIMEX3 type, what to resolve) or rejects it ("May" the modal, "2,000 troops").
The longest non-overlapping candidates are kept (`select`).
"""
from __future__ import annotations

import re
from bisect import bisect_right

from wirescope.analyse import timex_calendar as cal
from wirescope.analyse.timex_guards import holiday_in_name, is_fraction, is_score, month_is_name, year_in_name
from wirescope.analyse.timex_patterns import Patterns, norm_key, patterns
from wirescope.analyse.timex_types import Cand, DocInfo, word_after

_FUNCTION_WORDS = frozenset("""and or but of to in on at by for with from as when while if than that this
these those which who whom whose where after before since until till through during the a an is are was
were be been has have had will would can could may might should must not no it he she they we you i his
her its their our your so then there here also said says say told tells""".split())
_AMOUNT_BEFORE = re.compile(r"(?:\d[\d,.]*\s*%?|million|billion|trillion|thousand|hundred|dollars|euros|"
                            r"pounds|percent|per\s+cent|times|once|twice|bn|m)\s*$", re.IGNORECASE)
_PRE_YEAR_CUE = frozenset({"in", "since", "by", "until", "till", "of", "from", "before", "after", "during",
                           "circa", "c.", "through", "between", "and", "to", "around"})


def _word_before(text: str, start: int) -> str:
    i = start
    while i > 0 and text[i - 1] in " \t":
        i -= 1
    j = i
    while j > 0 and start - j < 40 and (text[j - 1].isalnum() or text[j - 1] in "_'’$%-"):
        j -= 1
    return text[j:i]


def noun_follows(text: str, end: int) -> bool:
    """A lowercase content word right after end ("last year raid"): the span modifies a noun."""
    if end < len(text) and text[end] not in " \t":
        return False
    word = word_after(text, end)
    return bool(word) and word[0].islower() and word.lower() not in _FUNCTION_WORDS and not word.endswith("ly")


def _cap(s: str) -> bool:
    return bool(s) and s[0].isupper()


# ---------------------------------------------------------------------------------------------
# recognition: one handler per pattern; each returns a candidate or None (reject)

def _num(p: Patterns, raw: str | None) -> float | None:
    """A number written in digits or words; None for vague quantities ("several")."""
    if raw is None:
        return None
    key = norm_key(raw)
    if key in p.vague:
        return None
    try:
        return float(key)
    except ValueError:
        pass
    if key in p.numbers:
        return float(p.numbers[key])
    parts = re.split(r"[\s-]+", key)
    if len(parts) == 2 and parts[0] in p.numbers and parts[1] in p.numbers:
        return float(p.numbers[parts[0]] + p.numbers[parts[1]])
    return None


_RELDAY_OFF = {"today": 0, "tomorrow": 1, "yesterday": -1}  # "noon today", "3 p.m. tomorrow"


def _mod(p: Patterns, raw: str | None) -> str | None:
    return p.point_mods.get(norm_key(raw)) if raw else None


def _month(p: Patterns, raw: str) -> tuple[int, bool] | None:
    """(month, is_full_name) for a capitalised month word, else None."""
    if not _cap(raw):
        return None
    key = norm_key(raw.rstrip("."))
    if key not in p.months:
        return None
    return p.months[key], key in p.month_full


def _year_ok(p: Patterns, text: str, start: int, end: int, doc_info: DocInfo | None, cue: bool = False) -> bool:
    """Is the 4-digit number at [start, end) a year, not a quantity ("2,000 troops", "1500 people")?"""
    y = int(text[start:end])
    before = _word_before(text, start).lower()
    after = word_after(text, end).lower()
    if end < len(text) and text[end] in "%":
        return False
    if before in ("no.", "no", "number", "nos.", "flight", "route", "page", "room", "model", "version", "resolution",
                  "article", "section", "chapter", "highway", "bus", "pp.", "p.", "tel", "tel.", "phone"):
        return False
    if year_in_name(text, start, end, doc_info):
        return False  # "the Terrorism Act 2000", "Windows 2000"
    if doc_info is not None:
        label = doc_info.ent_label(start, end)
        if label in ("CARDINAL", "QUANTITY", "MONEY", "PERCENT") and before not in _PRE_YEAR_CUE:
            return False
    if after in p.quantity_words and before not in p.year_determiners:
        return False
    if (after.endswith("s") and not after.endswith("'s") and len(after) > 3 and after[:1].islower()
            and before not in p.year_determiners and after not in ("years", "elections", "olympics", "games")):
        return False
    if cue or before in p.year_determiners or before in _PRE_YEAR_CUE:
        return 1000 <= y <= 2099
    return 1800 <= y <= 2099


def _recognise(name: str, m: re.Match, text: str, p: Patterns, doc_info: DocInfo | None) -> Cand | None:
    # m ran on the lowercased text: read the groups back from the original, same offsets
    g = {k: (text[m.start(k):m.end(k)] if m.start(k) >= 0 else None) for k in m.re.groupindex}
    s, e = m.start(), m.end()
    if name == "iso":
        f = {"y": int(g["y"]), "m": int(g["m"]), "d": int(g["d"])}
        if g["h"]:
            f.update(h=int(g["h"]), mi=int(g["mi"]), z=g["z"])
            return Cand(s, e, "TIME", "abs_time", f)
        return Cand(s, e, "DATE", "abs_day", f)
    if name == "ymd_slash":
        return Cand(s, e, "DATE", "abs_day", {"y": int(g["y"]), "m": int(g["m"]), "d": int(g["d"])})
    if name == "numeric":
        a, b, c = int(g["a"]), int(g["b"]), g["c"]
        year = int(c) if len(c) == 4 else (2000 + int(c) if int(c) < 50 else 1900 + int(c))
        if (g["sep"] == "-" and len(c) != 4) or is_score(text, s, e):
            return None
        day_first = g["sep"] in ".-" or p.lex.get("numeric_date_order") == "day_first"
        if a > 12 and b <= 12:
            day_first = True
        elif b > 12 and a <= 12:
            day_first = False
        d, mo = (a, b) if day_first else (b, a)
        return Cand(s, e, "DATE", "abs_day", {"y": year, "m": mo, "d": d})
    if name == "named":
        if is_score(text, s, e):
            return None  # "won 9-11"
        f = {"value": p.named_dates[g["nd"]]}
        mod = {"pre": "BEFORE", "post": "AFTER"}.get((g["pp"] or "").lower())
        return Cand(s, e, "DATE", "fixed", f, mod=mod)
    if name in ("mdy", "dmy", "ordmonth"):
        mon = _month(p, g["mon"])
        if mon is None:
            return None
        month, full = mon
        day = p.ordinals.get(norm_key(g["o"])) if name == "ordmonth" else int(g["d"])
        if not day or not 1 <= day <= 31:
            return None
        if name == "dmy" and not full and not g.get("y"):
            return None  # "5 Mar" without a year is too easily something else
        wd = p.weekdays.get(norm_key(g["wd"].rstrip("."))) if g.get("wd") and _cap(g["wd"]) else None
        if g.get("wd") and not _cap(g["wd"]):
            s = m.start("mon") if name == "mdy" else m.start("d")
        f = {"m": month, "d": day, "y": int(g["y"]) if g.get("y") else None, "yrel": _yrel(g), "wd": wd}
        if full and not g.get("y") and not f["yrel"] and text[e - 1:e] == ".":
            e -= 1  # "on 5 May." keeps the full stop out
        return Cand(s, e, "DATE", "monthday", f, mod=_mod(p, g.get("mod")))
    if name == "month":
        mon = _month(p, g["mon"])
        if mon is None:
            return None
        month, full = mon
        rel = (g["rel"] or "").lower() or None
        mod_raw = g["mod"] or g["mod0"]
        if rel and not _cap(g["mon"]):
            return None
        if not g["y"]:
            if not full:
                return None
            if not _month_word_is_month(text, m.start("mon"), m.end("mon"), month, rel, mod_raw, doc_info):
                return None
        if full and not g["y"] and not g["yrel"]:
            e = m.end("mon")  # "in January." keeps its full stop out
        if g["the"] or rel == "that":
            rel = "ref:" + rel  # "that September", "the following March": from the time just mentioned
        elif rel in ("current", "same", "following", "preceding", "prior"):
            s = m.start("mon") if not g["mod"] else m.start("mod")
            rel = None
        f = {"m": month, "y": int(g["y"]) if g["y"] else None, "rel": rel, "yrel": _yrel(g)}
        return Cand(s, e, "DATE", "month", f, mod=_mod(p, mod_raw))
    if name == "dom":
        d = int(g["d"])
        if not 1 <= d <= 31 or noun_follows(text, m.end("x")):
            return None
        return Cand(m.start("x"), m.end("x"), "DATE", "dom", {"d": d})
    if name == "weekday":
        if not _cap(g["wd"]):
            return None
        wd = p.weekdays[norm_key(g["wd"])]
        rel = (g["rel"] or "").lower() or None
        dp = p.dayparts.get(norm_key(g["dp"])) if g["dp"] else None
        if g["q"] or g["pl"]:
            if g["dp"] and not g["pl"] and not g["q"]:
                return None
            if rel in ("last", "next", "this", "coming", "past", "previous", "that"):
                s = m.start("wd")
            end = m.end("pl") if g["pl"] else m.end("wd")
            value = f"XXXX-WXX-{wd}" + (f"T{dp}" if dp and g["q"] else "")
            if dp and g["q"]:
                end = m.end("dp")
            return Cand(s, end, "SET", "fixed", {"value": value}, freq="1W",
                         quant=(g["q"] or "").upper() or None)
        if rel == "that":
            rel = "that"
        follower = norm_key(word_after(text, m.end("wd")))
        custom = follower in p.weekly_customs and not dp and rel is None
        return Cand(s, e, "TIME" if dp else "DATE", "weekday", {"wd": wd, "rel": rel, "dp": dp, "custom": custom},
                    mod=_mod(p, g["wmod"]) if g["wmod"] else None)
    if name == "relday":
        rd = norm_key(g["rd"])
        offsets = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1, "last night": -1, "overnight": -1,
                   "the day before yesterday": -2, "the day after tomorrow": 2}
        dp = p.dayparts.get(norm_key(g["dp"])) if g["dp"] else None
        if rd in ("tonight", "last night", "overnight"):
            if dp:
                e = m.end("rd")
            dp = "NI"
        pre = norm_key(g["pre"] or "")
        return Cand(s, e, "TIME" if dp else "DATE", "relday", {"off": offsets[rd], "dp": dp,
                                                               "overnight": rd == "overnight"},
                    mod=_mod(p, pre) if pre in ("early", "late") else None)  # "late yesterday": END
    if name == "thispart":
        rel = norm_key(g["rel"])
        return Cand(s, e, "TIME", "relday" if rel == "this" else "refday",
                     {"off": 0, "dp": p.dayparts[norm_key(g["dp"])]})
    if name == "thepart":
        return Cand(m.start("x"), m.end("x"), "TIME", "refday", {"off": 0, "dp": p.dayparts[norm_key(g["dp"])]})
    if name == "relunit":
        return _relunit(m, g, text, p, doc_info)
    if name == "modthe":  # "the end of the year": the unit the publication date falls in
        code = {"week": "W", "month": "M", "year": "Y"}[g["unit"].lower()]
        return Cand(s, e, "DATE", "relunit", {"n": 0, "unit": code}, mod=_mod(p, g["mod"]))
    if name == "bareunit":  # "Hours later, ...": the same day as the date just mentioned
        return Cand(s, e, "DATE", "refshift", {"n": 0, "unit": "D"})
    if name == "unitrel":
        sign = 1 if g["post"].lower() in ("after", "later") else -1
        unit = {"day": "D", "week": "W", "month": "M", "year": "Y"}[g["unit"].lower()]
        return Cand(s, e, "DATE", "refshift", {"n": sign, "unit": unit})
    if name == "duration":
        return _duration(m, g, text, p)
    if name == "weekend":
        return Cand(s, e, "DATE", "relunit", {"n": None, "unit": "WE"}, mod=_mod(p, g["mod"]))
    if name == "halfunit":
        unit = p.units[norm_key(g["unit"])]
        return Cand(s, e, "DURATION", "fixed", {"value": cal.duration_value(0.5, unit)},
                     mod=p.duration_mods.get(norm_key(g["dm"])) if g["dm"] else None)
    if name == "vaguedur":
        unit = p.units[norm_key(g["u"])]
        pre = norm_key(g["pre"])
        if pre == "within":
            return None
        start = m.start("u") if pre in ("for", "in") else m.start("pre") + len("over ")
        return Cand(start, e, "DURATION", "fixed", {"value": cal.duration_value(None, unit)})
    if name == "recent":
        w = norm_key(g["w"])
        value = "PAST_REF" if w == "recent" else "FUTURE_REF"
        if g["u"].lower() == "times" and w != "recent":
            return None
        return Cand(s, e, "DATE", "fixed", {"value": value})
    if name == "ref":
        key = norm_key(g["r"])
        value = p.references[key]
        if key in ("the past", "the future", "the present") and noun_follows(text, e):
            return None
        if text[e:e + 1] == "-" and text[e + 1:e + 2].isalpha():
            return None  # "the now-cancelled deal"
        return Cand(s, e, "DATE", "fixed", {"value": value})
    if name == "year":
        return _year(m, g, text, p, doc_info)
    if name == "decade2":
        if not (g["the"] or g["ap"]):
            return None
        if g["mod"] and not text[m.start():m.start() + 4].lower().startswith("the") and not g["the"]:
            pass
        yy = int(g["yy"])
        century = 19 if yy >= 20 else 20
        start = s if (g["mod"] or g["ap"]) else m.start("the") if g["the"] else s
        if not g["mod"] and g["the"]:
            start = m.start("yy") - (1 if g["ap"] else 0)
        return Cand(start, e, "DATE", "fixed", {"value": f"{century}{yy // 10}"}, mod=_mod(p, g["mod"]))
    if name == "decadeword":
        words = ["twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties", "nineties"]
        if not text[s:s + 4].lower().startswith("the"):
            return None
        return Cand(s, e, "DATE", "fixed", {"value": f"19{words.index(g['w'].lower()) + 2}"},
                     mod=_mod(p, g["mod"]))
    if name == "century":
        raw = norm_key(g["c"])
        n = int(raw[:-2]) if raw[:1].isdigit() else p.ordinals.get(raw)
        if not n or n > 30:
            return None
        return Cand(s, e, "DATE", "fixed", {"value": f"{n - 1:02d}"}, mod=_mod(p, g["mod"]))
    if name == "quarter":
        return _quarter(m, g, text, p)
    if name in ("qcode", "yq"):
        code = g["qc"]
        if not code[0].isupper():
            return None
        kind, n = code[0], int(code[1])
        if kind == "H" and n > 2:
            return None
        if name == "qcode" and not g.get("y"):
            # "Q3" alone is a quarter; "H1" alone is too often something else
            if kind == "H" or word_after(text, e).lower() in ("", ) and False:
                return None
        f = {"q": n, "half": kind == "H", "y": int(g["y"]) if g.get("y") else None, "rel": None}
        return Cand(s, e, "DATE", "quarter", f)
    if name in ("season", "yseason"):
        code = p.seasons[norm_key(g["se"])]
        rel = (g.get("rel") or "").lower() or None
        has_year = bool(g.get("y"))
        if name == "season" and not (rel or has_year):
            before = text[max(0, s - 16):s].lower()
            if not re.search(r"\b(?:in|during|over|by|until|through|throughout|this|the|late|early|since)\s+(?:the\s+)?$", before):
                return None
            if _cap(g["se"]) or word_after(text, e).lower() == "of":
                return None
            if not g.get("mod") and re.search(r"\bthe\s+$", before) and not re.search(
                    r"\b(?:in|during|over|by|until|through|throughout|since)\s+the\s+$", before):
                return None
        if code == "FA" and norm_key(g["se"]) == "fall" and not (rel or has_year or g.get("mod")):
            before = text[max(0, s - 12):s].lower()
            if not re.search(r"\b(?:in|during|by|until|this)\s+(?:the\s+)?$", before):
                return None
            if noun_follows(text, e) or word_after(text, e).lower() in ("of",):
                return None
        f = {"code": code, "rel": rel, "y": int(g["y"]) if has_year else None}
        return Cand(s, e, "DATE", "season", f, mod=_mod(p, g.get("mod")))
    if name == "holiday":
        key = norm_key(g["hd"])
        if not _cap(g["hd"]) or key not in p.holidays or holiday_in_name(m.start("hd"), m.end("hd"), doc_info, text):
            return None
        if key == "may day" and word_after(text, e).lower() in ("", ) and False:
            return None
        rel = (g["rel"] or "").lower() or None
        return Cand(s, e, "DATE", "holiday", {"spec": p.holidays[key], "rel": rel,
                                               "y": int(g["y"]) if g.get("y") else None})
    if name in ("clock", "clock24", "military", "oclock"):
        raw = g["h"]
        h = int(raw) if raw.isdigit() else int(_num(p, raw) or 0)
        mi = int(g.get("mi") or 0)
        ap = (g.get("ap") or "").lower().replace(".", "").replace(" ", "")
        if name == "clock24":
            if not (len(raw) == 2 or g.get("tz") or re.search(r"\b(?:at|by|until|from|before|after|around|about)\s+$",
                                                                text[max(0, s - 10):s].lower())):
                return None
            if m.group(0).count(".") and not g.get("tz"):
                return None
        if ap:
            if not 1 <= h <= 12:
                return None
            h = (h % 12) + (12 if ap.startswith("p") else 0)
        tz = p.zones.get(g["tz"]) if g.get("tz") else None
        off = _RELDAY_OFF.get(norm_key(g.get("rd") or ""))
        if g.get("tz") and tz is None:  # zone abbreviations are written in capitals
            if name == "military":
                return None
            e, off = m.start("tz"), None
        return Cand(s, e, "TIME", "clock", {"h": h, "mi": mi, "tz": tz, "off": off})
    if name == "noon":
        n = g["n"].lower()
        return Cand(s, e, "TIME", "clock", {"h": 0 if n == "midnight" else 12, "mi": 0, "tz": None,
                                             "midnight": n == "midnight", "off": _RELDAY_OFF.get(norm_key(g["rd"] or ""))})
    if name == "every":
        key = norm_key(g["u"])
        n = _num(p, g["num"]) if g["num"] else 1.0
        if n is None:
            return None
        quant = g["q"].upper()
        if key in p.dayparts:
            return Cand(s, e, "SET", "fixed", {"value": f"XXXX-XX-XXT{p.dayparts[key]}"}, quant=quant, freq="1D")
        if key in ("weekend", "weekends"):
            return Cand(s, e, "SET", "fixed", {"value": "XXXX-WXX-WE"}, quant=quant, freq="1W")
        unit = p.units[key]
        if "other" in m.group(0).lower():
            n *= 2
        return Cand(s, e, "SET", "fixed", {"value": cal.duration_value(n, unit)}, quant=quant)
    if name == "times":
        t = norm_key(g["t"])
        count = {"once": 1, "twice": 2, "thrice": 3}.get(t)
        if count is None:
            count = _num(p, t.rsplit(" ", 1)[0])
            if count is None:
                return None
        unit = p.units[norm_key(g["u"])]
        return Cand(s, e, "SET", "fixed", {"value": cal.duration_value(1, unit)}, freq=f"{int(count)}X")
    if name == "perunit":
        a = g["a"].lower()
        if a != "per" and not _AMOUNT_BEFORE.search(text, max(0, s - 30), s):
            return None
        u = norm_key(g["u"])
        unit = "Y" if u == "annum" else p.units[u]
        return Cand(s, e, "SET", "fixed", {"value": cal.duration_value(1, unit)})
    if name == "freqword":
        w = g["w"]
        if not w.islower():
            return None
        return Cand(s, e, "SET", "fixed", {"value": p.frequency[norm_key(w)]})
    return None


def _yrel(g: dict) -> str | None:
    """"of this year" -> "this", "of the following year" -> "following"."""
    raw = g.get("yrel")
    return norm_key(raw).replace("the ", "") if raw else None


def _month_word_is_month(text: str, s: int, e: int, month: int, rel: str | None, mod: str | None,
                         doc_info: DocInfo | None) -> bool:
    """A bare month name: reject "May" the modal and "March" the verb."""
    if rel or mod:
        return True
    word = text[s:e]
    if month_is_name(text, s, e, doc_info):
        return False  # "Theresa May", "May said", "June Carter"
    if doc_info is not None:
        tok = doc_info.token_at(s)
        if tok is not None:
            if tok.tag_ == "MD" or tok.pos_ in ("AUX", "VERB"):
                return False
            if tok.pos_ in ("PROPN", "NOUN") or tok.ent_type_ == "DATE":
                return True
    before = _word_before(text, s).lower()
    after = word_after(text, e)
    if before in ("in", "since", "until", "till", "by", "of", "from", "through", "during", "before", "after",
                  "early", "late", "mid", "last", "next", "this", "the", "that", "on", "between", "and", "to",
                  "or", "until", "throughout"):
        return True
    if word.lower() in ("may", "march"):
        # sentence-initial or mid-sentence: a following lowercase word or a pronoun means the verb
        if after and (after[0].islower() or after in ("I", "We", "They", "He", "She", "It")):
            return False
    return True


def _relunit(m: re.Match, g: dict, text: str, p: Patterns, doc_info) -> Cand | None:
    s, e = m.start(), m.end()
    rel = norm_key(g["rel"])
    unit = norm_key(g["unit"])
    the = bool(g["the"])
    mod = _mod(p, g["mod"])
    pre = g["pre"]
    if g["mod"] and not pre:
        pass
    if unit in p.seasons:
        if rel in ("following", "previous", "preceding", "prior", "same", "that", "current"):
            return None
        return Cand(s, e, "DATE", "season", {"code": p.seasons[unit], "rel": rel, "y": None}, mod=mod)
    if unit == "day":
        if not the and rel not in ("that", "same"):
            return None
        if rel in ("next", "following"):
            return Cand(s, e, "DATE", "refshift", {"n": 1, "unit": "D"}, mod=mod)
        if rel in ("previous", "preceding", "prior"):
            return Cand(s, e, "DATE", "refshift", {"n": -1, "unit": "D"}, mod=mod)
        if rel in ("same", "that"):
            return Cand(s, e, "DATE", "refshift", {"n": 0, "unit": "D"}, mod=mod)
        return None
    code = {"week": "W", "month": "M", "year": "Y", "weekend": "WE", "quarter": "Q", "decade": "DE",
            "century": "CE", "fortnight": "2W"}[unit]
    if rel in ("past", "last") and the:
        # "the last year" after a preposition is a duration; before a noun, "last year" is a date
        noun_after = noun_follows(text, e)
        if doc_info is not None:
            tok = doc_info.token_at(m.start("unit"))
            if tok is not None:
                noun_after = tok.dep_ in ("compound", "nmod", "amod", "poss") and tok.head.i > tok.i
        if noun_after and not pre and not g["mod"] and code != "2W":
            return Cand(m.start("rel"), e, "DATE", "relunit", {"n": -1, "unit": code})
        if code == "WE":
            return None
        return Cand(s, e, "DURATION", "fixed", {"value": cal.duration_value(1, code)}, mod=mod)
    if code == "2W":
        return None
    if rel in ("following", "previous", "preceding", "prior", "same", "that") or (rel == "next" and the):
        n = {"following": 1, "next": 1, "previous": -1, "preceding": -1, "prior": -1}.get(rel, 0)
        return Cand(s, e, "DATE", "refunit", {"n": n, "unit": code}, mod=mod)
    n = {"last": -1, "past": -1, "next": 1, "coming": 1, "this": 0, "current": 0}[rel]
    return Cand(s, e, "DATE", "relunit", {"n": n, "unit": code}, mod=mod)


def _duration(m: re.Match, g: dict, text: str, p: Patterns) -> Cand | None:
    s, e = m.start(), m.end()
    unit_key = norm_key(g["unit"])
    unit = p.units[unit_key]
    raw = norm_key(g["num"])
    amount = _num(p, raw)
    vague = raw in p.vague
    if amount is None and not vague:
        return None
    plural = unit_key.endswith("s") or unit_key in ("centuries", "millennia")
    if raw in ("a", "an", "one", "single") and (unit_key in ("second", "minute", "quarter") or plural):
        return None
    if raw.replace(".", "").isdigit() and unit == "Q":
        pass
    if unit == "Q" and ((amount or 0) < 2 or is_fraction(text, s, e)):
        return None  # "a quarter", "three-quarters of the voters"
    if raw in ("a", "an") and text[m.start("num") - 1: m.start("num")] == "-":
        return None
    if g["half"] or g["half2"]:
        amount = (amount or 0) + 0.5
    dm = p.duration_mods.get(norm_key(g["dm"])) if g["dm"] else None
    if dm and g["the"]:  # "over the past two years": "over" is the preposition, not "more than"
        dm, s = None, m.start("the")
    post = norm_key(g["post"]) if g["post"] else None
    if post in ("before", "after") and word_after(text, m.end("post")) and re.match(r"\s*\w", text[m.end("post"):m.end("post") + 3]):
        e = m.end("half2") if g["half2"] else m.end("unit")
        post = None
    if post and g["the"]:
        return None
    if post is None:
        if g["the"] and norm_key(g["rel"]) in ("next", "coming", "following") and vague:
            return Cand(s, e, "DATE", "fixed", {"value": "FUTURE_REF"})
        if g["the"] and vague:
            return Cand(s, e, "DURATION", "fixed", {"value": cal.duration_value(None, unit)}, mod=dm)
        return Cand(s, e, "DURATION", "fixed", {"value": cal.duration_value(amount, unit)}, mod=dm)
    if vague or amount is None:
        value = "PAST_REF" if post in ("ago", "earlier", "before", "back", "previously") else "FUTURE_REF"
        return Cand(s, e, "DATE", "fixed", {"value": value})
    sign = -1 if post in ("ago", "earlier", "before", "back", "previously") else 1
    base = "anchor" if post in ("ago", "from now", "hence", "back") else "ref"
    return Cand(s, e, "DATE", "shift", {"n": sign * amount, "unit": unit, "base": base}, mod=dm)


def _year(m: re.Match, g: dict, text: str, p: Patterns, doc_info) -> Cand | None:
    s, e = m.start(), m.end()
    ys, ye = m.start("y"), m.end("y")
    y = int(g["y"])
    mod = _mod(p, g["mod"])
    if g["s"]:
        if y % 10:
            return None
        if y % 100 == 0 and y < 2000:
            value = f"{y // 100:02d}"
        else:
            value = f"{y // 10:03d}"
        start = s if (g["mod"] or g["fy"]) else ys
        return Cand(start, e, "DATE", "fixed", {"value": value}, mod=mod)
    if g["fy"] and (g["fy"].isupper() or g["fy"].lower().startswith("fiscal")):
        return Cand(s, e, "DATE", "fixed", {"value": f"FY{y}"}, mod=mod)
    if g["fy"]:
        s = m.start("y") if not g["mod"] else m.start("mod")
    if not _year_ok(p, text, ys, ye, doc_info, cue=bool(g["mod"])):
        return None
    start = s if g["mod"] else ys
    return Cand(start, e, "DATE", "year", {"y": y}, mod=mod)


def _quarter(m: re.Match, g: dict, text: str, p: Patterns) -> Cand | None:
    s, e = m.start(), m.end()
    o = norm_key(g["o"])
    n = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
         "final": 4, "last": 4}[o]
    half = g["qh"].lower() == "half"
    has_of = bool(g["y"]) or "year" in m.group(0)[len(m.group(0).split(" of ")[0]):].lower() if " of " in m.group(0).lower() else False
    if o in ("final", "last") and not has_of:
        return None
    if half:
        n = 1 if n == 1 else 2 if o in ("second", "2nd", "final", "last") else 0
        if not n:
            return None
    if not has_of and noun_follows(text, e) and not half:
        pass
    qrel = norm_key(g["qrel"]) if g["qrel"] else None
    if g["qfy"]:
        pass
    f = {"q": n, "half": half, "y": int(g["y"]) if g["y"] else None,
         "rel": qrel if qrel else ("ref" if (has_of and g["qthe"]) else None)}
    return Cand(s, e, "DATE", "quarter", f)



def candidates(text: str, doc_info: DocInfo | None) -> list[Cand]:
    p = patterns()
    found: list[Cand] = []
    lowered = lower(text)
    windows = _windows(text, lowered, p)
    for name, rx, prio, needs in p.regexes:
        lists = [windows[c] for c in needs if c in windows]
        if not lists:
            continue
        for ws, we in _merge(lists):
            for m in rx.finditer(lowered, ws, we):
                try:
                    c = _recognise(name, m, text, p, doc_info)
                except (ValueError, KeyError, IndexError, OverflowError):
                    c = None
                if c is not None and c.end > c.start:
                    c.prio = prio
                    found.append(c)
    return found


# how far an expression can reach before and after a trigger word of each class (characters)
_REACH = {"unit": (48, 32), "season": (24, 16), "daypart": (24, 8), "ref": (24, 24), "freq": (8, 8),
          "relday": (24, 16), "clock": (12, 12), "decadeword": (24, 4), "month": (40, 24), "weekday": (28, 32),
          "qcode": (8, 8), "holiday": (24, 12), "digit_year": (40, 24), "digit_sep": (12, 24),
          "digit_ord": (24, 24), "digit_s": (40, 8)}


def _digit_classes(tok: str, lowered: str, end: int, p: Patterns) -> set[str]:
    digits = re.match(r"\d+", tok).group(0)  # type: ignore[union-attr]
    tail = tok[len(digits):]
    out: set[str] = set()
    if len(digits) == 4 and 1000 <= int(digits) <= 2099:
        out.add("digit_year")
    if (":" in tok or "/" in tok or _DOTTED.match(tok)
            or (lowered[end:end + 1] == "-" and lowered[end + 1:end + 2].isdigit())):
        out.add("digit_sep")
    if tail in ("st", "nd", "rd", "th"):
        out.add("digit_ord")
    if tail in ("s", "'s", "’s") and len(digits) in (2, 4):
        out.add("digit_s")
    word = re.sub(r"^[\d:/.,]*", "", tail).lstrip("-").rstrip(".")  # "3:30am" -> "am"
    if word in p.trigger_classes:
        out |= p.trigger_classes[word]
    return out


_DOTTED = re.compile(r"\d{1,2}\.\d{2}")


def _windows(text: str, lowered: str, p: Patterns) -> dict[str, list[tuple[int, int]]]:
    """For each trigger class, the stretches of text around its words (merged, cut at whitespace
    so that no word is split) where an expression holding such a word can lie."""
    caps = p.cap_trigger_classes
    n = len(text)
    spans: dict[str, list[tuple[int, int]]] = {}
    for m in p.trigger_rx.finditer(lowered):
        tok = m.group(0)
        if tok[0].isdigit():
            found = _digit_classes(tok.rstrip(".,"), lowered, m.end(), p)
        else:
            found = p.trigger_classes.get(tok, frozenset())
            if tok in caps and text[m.start()].isupper():
                found = found | caps[tok]
        for cls in found:
            before, after = _REACH[cls]
            s, e = max(0, m.start() - before), min(n, m.end() + after)
            lst = spans.setdefault(cls, [])
            if lst and s <= lst[-1][1]:
                lst[-1] = (lst[-1][0], max(lst[-1][1], e))
            else:
                lst.append((s, e))
    for cls, lst in spans.items():
        spans[cls] = _snap(text, lst)
    return spans


def _snap(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    n = len(text)
    out: list[tuple[int, int]] = []
    for s, e in spans:
        while s > 0 and not text[s - 1].isspace():
            s -= 1
        while e < n and not text[e].isspace():
            e += 1
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _merge(lists: list[list[tuple[int, int]]]) -> list[tuple[int, int]]:
    if len(lists) == 1:
        return lists[0]
    out: list[tuple[int, int]] = []
    for s, e in sorted(x for lst in lists for x in lst):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def lower(text: str) -> str:
    """text.lower() with the same length (a few characters lowercase to two; those stay as they are)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def select(cands: list[Cand]) -> list[Cand]:
    """Longest first (then higher priority, then earlier), keeping only non-overlapping spans."""
    cands.sort(key=lambda c: (-(c.end - c.start), -c.prio, c.start))
    starts: list[int] = []
    kept: list[Cand] = []
    for c in cands:
        i = bisect_right(starts, c.start)
        if i > 0 and kept[i - 1].end > c.start:
            continue
        if i < len(kept) and kept[i].start < c.end:
            continue
        starts.insert(i, c.start)
        kept.insert(i, c)
    return kept


def trim(text: str, c: Cand) -> None:
    """Spans never start or end on whitespace or a trailing comma."""
    while c.end > c.start and text[c.end - 1] in " \t\r\n,":
        c.end -= 1
    while c.start < c.end and text[c.start] in " \t\r\n":
        c.start += 1


