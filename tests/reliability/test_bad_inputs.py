"""A bad-input corpus, generated here (no committed binaries): every input gets a clear error or a
sensible result, the run goes on, and the valid documents of the same batch are stored."""
from __future__ import annotations

import gzip
import json
import sqlite3

import pytest

from wirescope.cli import main

GOOD = "LONDON (Wire) - The foreign minister said on Monday that talks with Iran would resume in Vienna.\n"


def corpus(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    files = {
        "empty.txt": b"",
        "blank.txt": b" \n\t\n   ",
        "png.txt": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
        "pdf.txt": b"%PDF-1.7\n%\xb5\xb5\xb5\xb5\n1 0 obj<<>>endobj",
        "gzip.txt": gzip.compress(GOOD.encode() * 20),
        "bad_utf8.txt": b"Officials in Kabul said \xff\xfe\xfa the convoy was hit.",
        "mixed.txt": "Caf\u00e9 owners said ".encode("utf-8") + "na\u00efve plans".encode("cp1252") + b" failed.",
        "long_line.txt": (("Militants attacked a convoy near Kandahar and officials said six died " * 3000)[:200_000]).encode(),
        "script.html": (b"<html><head><title>T &amp; <script>alert(1)</script></title></head><body><article>"
                        b"<p>BEIRUT (Wire) - Protesters gathered outside parliament on Sunday &amp; police "
                        b"fired tear gas, witnesses said, according to local media reports from the scene.</p>"
                        b"<iframe src='javascript:alert(2)'></iframe><script>document.title='pwned'</script>"
                        b"<p onclick='alert(3)'>The interior ministry said 40 people were hurt in the clashes "
                        b"and promised an inquiry into the use of force by riot police officers.</p></article></body></html>"),
        "nested.html": b"<div>" * 5000 + b"Deep text about a ceasefire in Yemen, officials said." + b"</div>" * 5000,
        "no_sentences.txt": "--- *** ### 12345 ;;; ???".encode(),
        "only_quotes.txt": "\u201c\u201d \u201c\u201d \"\" '' \u00ab\u00bb".encode(),
        "unbalanced.txt": "The general said \u201cwe will not retreat. The troops stayed. \u201cNever,\u201d he added \u201c".encode(),
        "rtl.txt": "\u0642\u0627\u0644 \u0645\u0633\u0624\u0648\u0644 \u0627\u0641\u063a\u0627\u0646\u06cc "
                   "\u0641\u064a \u0643\u0627\u0628\u0644. The official spoke in Kabul.".encode(),
        "emoji.txt": "Protesters \U0001F525\U0001F525 marched in Paris \U0001F1EB\U0001F1F7 on Saturday, police said \U0001F46E.".encode(),
        "zero_width.txt": "The Tal\u200biban spokes\u200dman said\u2060 the talks\ufeff failed in Do\u200bha.".encode(),
        "good.txt": GOOD.encode(),
    }
    for name, data in files.items():
        (d / name).write_bytes(data)
    lines = [
        json.dumps({"text": "PARIS - The French president said he would visit Mali next week.", "published": "2021-03-01"}),
        "{this is not json",
        json.dumps({"title": "missing text"}),
        json.dumps({"text": ["wrong", "type"]}),
        json.dumps({"text": "A story from the future.", "published": "2999-01-01"}),
        json.dumps({"text": "A story on an impossible day.", "published": "2021-02-30"}),
        json.dumps({"text": "ROME - Italy said it would send aid to Libya.", "published": 20210301}),
        json.dumps({"text": "MADRID - Spain's prime minister said the summit was a success."}),
    ]
    (d / "feed.jsonl").write_text("\n".join(lines) + "\n")
    return d


def test_bad_corpus_ingest(tmp_path, capsys):
    d = corpus(tmp_path)
    db = tmp_path / "kb.db"
    code = main(["ingest", str(d), "--db", str(db), "-p", "2021-03-20"])
    out, err = capsys.readouterr()
    assert code == 1  # some inputs failed...
    assert "Traceback" not in err
    for expected in ("E202", "E203", "E204", "E205", "E208"):
        assert f"error [{expected}]" in err, expected
    assert "error [E206]" not in err  # bad metadata dates cost no document
    con = sqlite3.connect(db)
    sources = {row[0] for row in con.execute("select source from documents")}
    stored = {s.rsplit("/", 1)[-1] for s in sources}
    # ...and every readable one was stored
    for name in ("good.txt", "bad_utf8.txt", "mixed.txt", "long_line.txt", "script.html", "nested.html",
                 "rtl.txt", "emoji.txt", "zero_width.txt", "unbalanced.txt", "feed.jsonl:1", "feed.jsonl:5",
                 "feed.jsonl:6", "feed.jsonl:7", "feed.jsonl:8"):
        assert name in stored, (name, sorted(stored))
    for name in ("empty.txt", "blank.txt", "png.txt", "pdf.txt", "gzip.txt", "feed.jsonl:2", "feed.jsonl:4"):
        assert name not in stored
    # an impossible date and a number as a date: stored, unanchored by metadata, with a warning each
    for line, needle in (("feed.jsonl:6", "not a real date"), ("feed.jsonl:7", "not a string")):
        warnings = con.execute("select warnings from documents where source like ?", (f"%{line}",)).fetchone()[0]
        assert needle in warnings, (line, warnings)
    failures = con.execute("select count(*) from failures").fetchone()[0]
    assert failures >= 8  # empty, blank, png, pdf, gzip and three unusable JSON lines
    # hostile HTML: scripts are gone, text is kept
    html_text = con.execute("select text from documents where source like '%script.html'").fetchone()[0]
    assert "alert" not in html_text and "tear gas" in html_text
    # every stored span points into its text exactly
    texts = dict(con.execute("select id, text from documents"))
    for doc_id, start, end, text in con.execute("select doc_id, start, \"end\", text from mentions"):
        assert texts[doc_id][start:end] == text
    for doc_id, start, end, text in con.execute("select doc_id, start, \"end\", content from statements"):
        assert texts[doc_id][start:end] == text


def test_oversized_file_is_refused_without_loading(tmp_path, capsys):
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:  # 50 MB of prose
        chunk = (GOOD * 200).encode()
        for _ in range(50 * 1024 * 1024 // len(chunk) + 1):
            fh.write(chunk)
    small = tmp_path / "small.txt"
    small.write_text(GOOD)
    code = main(["extract", str(big), str(small), "-f", "json"])
    out, err = capsys.readouterr()
    assert code == 1 and "E207" in err and "--max-chars" in err
    assert len(out.strip().splitlines()) == 1


def test_document_above_max_chars_is_refused(tmp_path, capsys):
    p = tmp_path / "a.txt"
    p.write_text(GOOD * 10)
    code = main(["extract", str(p), "--max-chars", "200", "-f", "json"])
    _, err = capsys.readouterr()
    assert code == 1 and "E207" in err


@pytest.mark.parametrize("text", [
    "a" * 150_000,  # one huge token-ish run with no spaces
    ("word " * 40_000),
    ("\u201cquote " * 20_000),
], ids=["no-spaces", "words", "open-quotes"])
def test_long_texts_are_parsed_in_chunks_with_exact_offsets(analyse, text):
    result = analyse(text)
    for e in result.entities:
        for m in e.mentions:
            assert text[m.start:m.end] == m.text
    for s in result.statements:
        assert text[s.content.start:s.content.end] == s.content.text
