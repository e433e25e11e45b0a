"""One schema-checked loader for every lexicon: a malformed data file stops start-up with E106."""
from __future__ import annotations

from importlib import resources

import pytest

from wirescope import lexicon
from wirescope.errors import ConfigError


def test_every_data_file_has_a_schema_and_loads():
    files = {p.name for p in resources.files("wirescope").joinpath(*lexicon.DATA_DIR).iterdir()
             if p.name.endswith(".yaml")}
    assert files == set(lexicon.SCHEMAS)
    for name in files:
        assert isinstance(lexicon.load(name), dict)


@pytest.mark.parametrize("data,where", [({"types": {}}, "(top level)"), ({"types": [], "category_map": {}}, "types")])
def test_a_malformed_lexicon_is_refused(monkeypatch, data, where):
    monkeypatch.setitem(lexicon.SCHEMAS, "broken.yaml", {"types": "object", "category_map": "object"})

    class Fake:
        def joinpath(self, *parts):
            return self

        def read_text(self, encoding="utf-8"):
            import yaml

            return yaml.safe_dump(data)

    monkeypatch.setattr(lexicon.resources, "files", lambda package: Fake())
    lexicon.load.cache_clear()
    try:
        with pytest.raises(ConfigError) as info:
            lexicon.load("broken.yaml")
    finally:
        lexicon.load.cache_clear()
    assert info.value.code == "E106" and "broken.yaml" in info.value.message and where in info.value.message


def test_no_module_reads_yaml_lexicons_itself():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "wirescope"
    readers = sorted(str(p.relative_to(root)) for p in root.rglob("*.py")
                     if "yaml.safe_load(" in p.read_text() and p.name not in ("lexicon.py", "common.py"))
    assert readers == []  # front matter (ingest/common.py) is not a lexicon
