"""Every error code is unique, well-formed, documented, and renders without a traceback."""
from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from wirescope.errors import ERRORS, WirescopeError

ROOT = Path(__file__).resolve().parent.parent


def test_codes_are_well_formed_and_grouped():
    for code in ERRORS:
        assert re.fullmatch(r"E[1-5]\d\d", code), code


def test_codes_are_unique_in_the_source():
    source = (ROOT / "wirescope" / "errors.py").read_text()
    for code in ERRORS:
        assert len(re.findall(rf'"{code}":', source)) == 1, code


@pytest.mark.parametrize("code", sorted(ERRORS))
def test_every_code_is_documented(code):
    docs = (ROOT / "docs" / "errors.md").read_text()
    assert f"`{code}`" in docs


@pytest.mark.parametrize("code", sorted(ERRORS))
def test_every_code_renders_with_its_fields(code):
    template, hint = ERRORS[code]
    fields = {name for _, name, _, _ in string.Formatter().parse(template + hint) if name}
    exc = WirescopeError(code, **{f: f"<{f}>" for f in fields})
    rendered = exc.render()
    assert rendered.startswith(f"error [{code}]: ") and "\nhint: " in rendered
    assert "{" not in exc.message.replace("{}", "")
    assert exc.to_dict() == {"error": {"code": code, "message": exc.message, "hint": exc.hint}}


def test_unknown_code_is_a_programming_error():
    with pytest.raises(KeyError):
        WirescopeError("E999")


def test_error_page_is_current():
    from wirescope.errors import markdown
    assert (ROOT / "docs" / "errors.md").read_text() == markdown()
