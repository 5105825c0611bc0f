"""bench/checkers.py reads the Nu HTML checker right: a broken page fails, a clean one passes.

(The checkers themselves run on the demo from `make checkers` and .ci/run.)
"""

import shutil

import pytest

from bench import checkers

pytestmark = pytest.mark.skipif(
    not (shutil.which("java") and checkers.VNU_JAR.exists()),
    reason="needs Java and the Nu HTML checker: make checkers (npm ci in bench/node)",
)

CLEAN = (
    '<!DOCTYPE html><html lang="en"><head><title>Fine</title></head><body><p>ok</p></body></html>'
)
BROKEN = '<!DOCTYPE html><html lang="en"><head><title>x</title></head><body><div><p>a</span>'


def test_nu_errors_are_counted_per_page(tmp_path):
    errors = checkers.nu_errors({"clean": CLEAN, "broken": BROKEN}, tmp_path)
    assert errors["clean"] == []
    assert any("span" in message for message in errors["broken"])


def test_results_section_is_replaced_in_place(tmp_path, monkeypatch):
    results = tmp_path / "RESULTS.md"
    results.write_text("# Benchmark\n\nkept\n")
    monkeypatch.setattr(checkers, "RESULTS_MD", results)
    scores = dict.fromkeys(checkers.CATEGORIES, 100)
    checkers.report([("home", "/", scores, 1)], {"home": []}, 60)
    checkers.report([("home", "/", {**scores, "seo": 97}, 2)], {"home": ["line 1: x"]}, 61)
    text = results.read_text()
    assert text.startswith("# Benchmark\n\nkept\n")
    assert text.count(checkers.START) == 1
    assert "| home | `/` | 100 | 100 | 100 | 97 | 2 | 1 |" in text
