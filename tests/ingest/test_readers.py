"""Readers: each input kind becomes the right Document, or a coded error in its place."""
from __future__ import annotations

import codecs
import gzip
import json

import pytest

from wirescope.errors import InputError, WirescopeError
from wirescope.ingest import readers as R

ARTICLE = "KABUL (Reuters) - Militants attacked a checkpoint on Monday, officials said.\n"


def read_one(path, published=None):
    items = list(R.read_inputs([str(path)], published))
    assert len(items) == 1, items
    return items[0]


@pytest.mark.parametrize("line, place", [
    ("KABUL (Reuters) - Militants attacked", "Kabul"),
    ("Washington: The report comes", "Washington"),
    ("NEW YORK, March 3 (AP) \u2014 Stocks fell", "New York"),
    ("Doha, Qatar -- Talks resumed", "Doha"),
    ("ISLAMABAD (Frontier Dispatch) - Senior", "Islamabad"),
    ("The report says: nothing", None),
    ("Update: the count rose", None),
    ("Militants attacked a base on Monday.", None),
])
def test_dateline(line, place):
    assert R.find_dateline(line) == place


def test_text_file_with_front_matter(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("---\ntitle: Raid\noutlet: Wire\nurl: https://x.test/a\npublished: 2021-03-20\n---\n" + ARTICLE)
    doc = read_one(p)
    assert (doc.title, doc.outlet, doc.url, doc.published) == ("Raid", "Wire", "https://x.test/a", "2021-03-20")
    assert doc.text == ARTICLE
    assert doc.dateline == "Kabul"


def test_text_file_with_json_sidecar(tmp_path):
    (tmp_path / "b.txt").write_text(ARTICLE)
    (tmp_path / "b.json").write_text(json.dumps({"title": "T", "outlet": "O", "published": "2020-01-02"}))
    doc = read_one(tmp_path / "b.txt")
    assert (doc.title, doc.outlet, doc.published) == ("T", "O", "2020-01-02")


def test_published_flag_is_the_fallback_only(tmp_path):
    p = tmp_path / "c.txt"
    p.write_text(ARTICLE)
    assert read_one(p, published="2019-05-05").published == "2019-05-05"
    p.write_text("---\npublished: 2021-01-01\n---\n" + ARTICLE)
    assert read_one(p, published="2019-05-05").published == "2021-01-01"


@pytest.mark.parametrize("encoding, bom", [
    ("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE),
    ("cp1252", b""),
])
def test_encodings(tmp_path, encoding, bom):
    text = "Caf\u00e9 owners in Gen\u00e8ve said \u201cno\u201d to the plan.\n"
    p = tmp_path / "enc.txt"
    p.write_bytes(bom + text.encode(encoding))
    assert read_one(p).text == text


def test_crlf_becomes_lf(tmp_path):
    p = tmp_path / "crlf.txt"
    p.write_bytes(b"One line.\r\nTwo lines.\r\n")
    assert read_one(p).text == "One line.\nTwo lines.\n"


@pytest.mark.parametrize("name, data, code", [
    ("empty.txt", b"", "E202"),
    ("blank.txt", b"  \n\t \n", "E202"),
    ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "E203"),
    ("doc.txt", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "E203"),
    ("archive.txt", gzip.compress(b"hello world"), "E203"),
    ("nul.html", b"<html>\x00\x00\x00</html>", "E203"),
])
def test_bad_files_give_coded_errors(tmp_path, name, data, code):
    p = tmp_path / name
    p.write_bytes(data)
    item = read_one(p)
    assert isinstance(item, InputError) and item.code == code
    assert str(p) in item.message


def test_missing_path_is_an_error_not_an_exception(tmp_path):
    item = read_one(tmp_path / "nope.txt")
    assert isinstance(item, InputError) and item.code == "E201"


def test_unreadable_file(tmp_path):
    p = tmp_path / "looks_like_a_file.txt"
    p.mkdir()
    (p / "inner.bin").write_bytes(b"\x00")
    item = next(R.read_inputs([str(p)]))
    assert isinstance(item, InputError) and item.code == "E201"
    item = next(R.read_path(p))
    assert isinstance(item, InputError) and item.code == "E201" and "directory" in item.message


def test_jsonl_good_and_bad_lines_keep_order():
    lines = [
        json.dumps({"text": "First story.", "published": "2021-01-01", "url": "u1", "title": "t", "outlet": "o"}),
        "{broken json",
        json.dumps({"title": "no text"}),
        json.dumps({"text": 42}),
        json.dumps(["not", "an", "object"]),
        "",
        json.dumps({"text": "Second story.", "published": "2021-13-45"}),
        json.dumps({"text": "Third story.", "url": 7}),
        json.dumps({"text": "Fourth story."}),
    ]
    items = list(R.read_jsonl(lines, "feed.jsonl", published="2020-06-01"))
    kinds = [i.code if isinstance(i, WirescopeError) else "doc" for i in items]
    # bad metadata (an impossible date, a number as a URL) costs a warning, never the document
    assert kinds == ["doc", "E204", "E205", "E208", "E204", "doc", "doc", "doc"]
    first, bad_date, bad_url, last = items[0], items[5], items[6], items[-1]
    assert (first.url, first.title, first.outlet, first.published) == ("u1", "t", "o", "2021-01-01")
    assert bad_date.published == "2020-06-01" and "not a real date" in bad_date.warnings[0]
    assert bad_url.url is None and "'url' is int" in bad_url.warnings[0]
    assert last.published == "2020-06-01" and not last.warnings
    assert "feed.jsonl" in items[1].message and "2" in items[1].message


@pytest.mark.parametrize("raw,iso", [
    ("February 3, 2009", "2009-02-03"), ("3 Feb 2009", "2009-02-03"), ("Tue, 03 Feb 2009 10:00:00 +0000", "2009-02-03"),
    ("2009-02-03T08:00:00Z", "2009-02-03"), ("25/12/2009", "2009-12-25"), ("12-25-2009", "2009-12-25"),
])
def test_metadata_dates_in_common_forms(raw, iso):
    doc = R.make_document("The army said it retook the town.", {"published": raw}, "x.txt")
    assert doc.published == iso and not doc.warnings


@pytest.mark.parametrize("raw,why", [("03-02-2009", "ambiguous"), ("2009-02-30", "not a real date"),
                                     ("soon", "could not be read")])
def test_ambiguous_or_impossible_metadata_dates_warn(raw, why):
    text = "KABUL, March 19, 2021 (Reuters) - The army said it retook the town."
    doc = R.make_document(text, {"published": raw}, "x.txt")
    assert why in doc.warnings[0]
    assert doc.published == "2021-03-19"  # anchored to the dateline instead


def test_jsonl_text_is_kept_exactly():
    text = "Line one.\r\nLine two with \u201cquotes\u201d."
    (doc,) = R.read_jsonl([json.dumps({"text": text})], "x.jsonl")
    assert doc.text == text


def test_folder_is_read_recursively_in_order(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "a.txt").write_text("Alpha story.")
    (tmp_path / "b" / "c.txt").write_text("Gamma story.")
    (tmp_path / "b" / "d.jsonl").write_text(json.dumps({"text": "Delta story."}) + "\n")
    (tmp_path / "notes.bin").write_bytes(b"\x00\x01")
    texts = [d.text for d in R.read_inputs([str(tmp_path)])]
    assert texts == ["Alpha story.", "Gamma story.", "Delta story."]


def test_html_page(tmp_path):
    page = """<html><head><title>Raid in Kandahar</title><meta property="og:site_name" content="Wire">
    <meta name="date" content="2021-03-18"></head><body><nav>Home | World</nav>
    <article><h1>Raid in Kandahar</h1>
    <p>KANDAHAR (Wire) - Afghan forces raided a compound on Wednesday, the interior ministry said in a statement.</p>
    <p>The ministry said six militants were detained and weapons were seized during the operation.</p>
    <p>"The operation was a success," a spokesman for the ministry told reporters in the city.</p>
    <script>alert('x')</script></article><footer>Copyright</footer></body></html>"""
    p = tmp_path / "page.html"
    p.write_text(page)
    doc = read_one(p)
    assert "raided a compound" in doc.text
    assert "alert" not in doc.text and "Copyright" not in doc.text
    assert doc.title == "Raid in Kandahar"
    assert doc.published == "2021-03-18"


def test_stdin_text_and_jsonl():
    import io
    (doc,) = R.read_stdin(stream=io.BytesIO(ARTICLE.encode()))
    assert doc.text == ARTICLE and doc.source == "-"
    items = list(R.read_stdin(stream=io.BytesIO(b'{"text": "A."}\n{"text": "B."}\n')))
    assert [d.text for d in items] == ["A.", "B."]


def test_size_limit(tmp_path):
    p = tmp_path / "big.txt"
    p.write_text("word " * 1000)
    item = next(R.read_inputs([str(p)], max_chars=100))
    assert isinstance(item, InputError) and item.code == "E207"


@pytest.mark.parametrize("data", [b"\xff\xfe\x00", b"plain ascii", "\u0627\u0644\u0633\u0644\u0627\u0645".encode()])
def test_decode_never_raises_on_odd_bytes(data):
    try:
        assert isinstance(R.decode_bytes(data, "x"), str)
    except InputError as exc:
        assert exc.code == "E210"


def test_sniff_binary_accepts_text():
    assert R.sniff_binary("Plain news text.\n".encode()) is None
    assert R.sniff_binary(codecs.BOM_UTF16_LE + "text".encode("utf-16-le")) is None
