"""search.text.body_text: the fast path gives exactly what strip_tags + unescape give."""

import html as html_module

from django.core.exceptions import SuspiciousOperation
from django.utils.html import strip_tags
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from search.text import body_text


def test_body_text_is_strip_tags_text():
    from tests.support.xss_payloads import PAYLOADS

    samples = [
        "<p>The new <strong>railway</strong> serves six stations.</p>",
        "<h2>Part</h2><p>A &amp; B &lt;c&gt; &#65;&#x42; &nbsp;x</p>",
        "a < b and c > d",
        '<img alt="a>b">x',
        "&foo bar &amp x a&",
        "<!-- c > d -->e",
        "<script>x<y; z>w</script>",
        "<<b>>",
        "</>",
        "<a<b>c",
        "<p title='x<y'>z</p>",
        "<textarea><b>x</b></textarea>",
        "<scrİpt>x</scrİpt>",
        "<İ>",  # not a tag to HTMLParser, though "İ" folds to "i"
        "<\u212a>x",  # nor is the Kelvin sign, though it folds to "k"
        "&İ;",
        "<p>x</p",
        *PAYLOADS,
    ]
    for sample in samples:
        expected = " ".join(html_module.unescape(strip_tags(sample)).split())
        assert body_text(sample) == expected, sample


@hsettings(max_examples=500, deadline=None, database=None, derandomize=True)
@given(st.lists(st.sampled_from(list("<>/&;#ab p=\"'!-x1İ")), max_size=40).map("".join))
def test_body_text_matches_strip_tags_on_fuzzed_markup(markup):
    try:
        expected = " ".join(html_module.unescape(strip_tags(markup)).split())
    except SuspiciousOperation:
        return
    assert body_text(markup) == expected
