"""search.highlight: query words marked in escaped text, and a body excerpt around them."""

from types import SimpleNamespace

from search.highlight import highlight, marked, snippet


def test_highlight_never_marks_inside_escapes():
    assert highlight("a & b", ["amp"]) == "a &amp; b"
    assert highlight('<x y="1">', ["x", "quot"]) == "&lt;<mark>x</mark> y=&quot;1&quot;&gt;"


def test_snippet_is_cut_around_the_first_word_at_a_space():
    body = "<p>" + "lorem ipsum " * 40 + "the <b>railway</b> opens " + "dolor sit " * 40 + "</p>"
    excerpt = snippet(SimpleNamespace(body=body), ["railway"])
    assert excerpt.startswith("… lorem") or excerpt.startswith("… ipsum")
    assert "the <mark>railway</mark> opens" in excerpt
    assert excerpt.endswith(" …")
    assert snippet(SimpleNamespace(body="<p>nothing here</p>"), ["railway"]) == ""


def test_marked_result_holds_what_the_page_shows():
    article = SimpleNamespace(title="River <b>day</b>", summary="", body="<p>By the river.</p>")
    result = marked(article, ["river"])
    assert result.article is article
    assert result.title == "<mark>River</mark> &lt;b&gt;day&lt;/b&gt;"
    assert result.summary == ""
    assert result.snippet == "By the <mark>river</mark>."
