"""The rich-text allow-list."""

import pytest

from articles.sanitize import sanitize_html


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("<script>alert(1)</script><p>ok</p>", "<p>ok</p>"),
        ('<img src="x.jpg" onerror="alert(1)" alt="a">', '<img src="x.jpg" alt="a">'),
        ('<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer">x</a>'),
        (
            '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
            '<a rel="noopener noreferrer">x</a>',
        ),
        ("<iframe src=//evil></iframe><object></object>", ""),
        ("<style>p{}</style><p style='color:red'>t</p>", "<p>t</p>"),
        ("<h1>Top</h1><h5>low</h5>", "Toplow"),
    ],
)
def test_dangerous_markup_is_removed(dirty, clean):
    assert sanitize_html(dirty) == clean


def test_allowed_structure_survives():
    html = (
        "<h2>1. Part</h2><h3>Sub</h3><p><strong>b</strong> <em>i</em> "
        '<a href="https://example.com/">link</a></p><ul><li>a</li></ul><blockquote>q</blockquote>'
        '<figure><img src="/media/a.jpg" alt="A" width="10" height="5"><figcaption>C</figcaption>'
        "</figure><table><tbody><tr><td>1</td></tr></tbody></table>"
    )
    cleaned = sanitize_html(html)
    for fragment in ("<h2>1. Part</h2>", "<figcaption>C</figcaption>", 'width="10"', "<td>1</td>"):
        assert fragment in cleaned


def test_empty_body():
    assert sanitize_html("") == ""
    assert sanitize_html(None) == ""


def test_control_characters_never_reach_the_database_or_the_feeds(client, make_article, section):
    """XML 1.0 cannot carry them: one stored in a title used to turn /feed/ into a 500."""
    article = make_article(
        title="Quarterly\x0b results\x00", summary="Up\x0c 4%\x1f", byline="Desk\x7f"
    )
    article.refresh_from_db()
    assert (article.title, article.summary, article.byline) == (
        "Quarterly results",
        "Up 4%",
        "Desk",
    )
    section.name = "Company\x08 news"
    section.save()
    section.refresh_from_db()
    assert section.name == "Company news"
    for path in ["/feed/", "/feed/atom/", f"{section.get_absolute_url()}feed/", "/sitemap.xml"]:
        assert client.get(path).status_code == 200, path
