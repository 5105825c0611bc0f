"""search.query: the reader's query cleaned, cut and split into words."""

from search.query import MAX_QUERY_CHARS, MAX_TERMS, clean_query, has_cjk, terms, was_cut


def test_clean_query_drops_control_characters_and_extra_spaces():
    assert clean_query("  river\x00 \x01line\u2028\ud800 opens  ") == "river line opens"
    assert clean_query(None) == ""


def test_clean_query_cuts_long_queries():
    raw = "river " * 100
    query = clean_query(raw)
    assert len(query) <= MAX_QUERY_CHARS
    assert was_cut(raw, query)
    assert not was_cut("river   line  ", clean_query("river   line  "))


def test_terms_are_distinct_longest_first_and_few():
    assert terms("AI river line RIVER a-b") == ["river", "line", "AI", "a", "b"]
    assert len(terms(" ".join(f"w{n}" for n in range(20)))) == MAX_TERMS
    assert terms('"(*:!)"') == []


def test_cjk_is_recognised():
    assert has_cjk("新闻 river")
    assert not has_cjk("river")
