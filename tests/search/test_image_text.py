"""Pictures' words are searchable: an article is found by its cover's or body images' alt
text and captions, and finds it no more once the image's words change (SQLite and PostgreSQL)."""

import pytest

from tests.search.helpers import search_page
from tests.support.pictures import photo, submit


@pytest.fixture
def pictured(make_article):
    cover = submit("crane.jpg", photo("JPEG", (900, 600)), alt_text="A yellow gantry crane").save()
    inline = submit(
        "dock.jpg", photo("JPEG", (900, 600)), alt_text="Workers on the quay", caption="起重机码头"
    ).save()
    src = inline.file.storage.url(inline.file.name)
    return {
        "cover": cover,
        "inline": inline,
        "with_cover": make_article(title="Port news", cover=cover),
        "with_body_image": make_article(
            title="Harbour works",
            body=f'<figure><img src="{src}" alt="dock"><figcaption>Dock</figcaption></figure>',
        ),
        "plain": make_article(title="Plain story"),
    }


@pytest.mark.parametrize(
    ("query", "key"),
    [("gantry", "with_cover"), ("quay", "with_body_image"), ("起重机码头", "with_body_image")],
)
def test_an_image_word_finds_the_article_showing_it(client, pictured, query, key):
    _r, found = search_page(client, query)
    assert found == [pictured[key]]


def test_changing_alt_text_or_caption_updates_the_index(client, pictured):
    cover = pictured["cover"]
    cover.alt_text = "A red harbour tug"
    cover.save()
    assert search_page(client, "gantry")[1] == []
    assert search_page(client, "tug")[1] == [pictured["with_cover"]]
    inline = pictured["inline"]
    inline.caption = "Evening shift"
    inline.save()
    assert search_page(client, "起重机码头")[1] == []
    assert search_page(client, "evening")[1] == [pictured["with_body_image"]]


def test_a_new_cover_brings_its_words(client, pictured):
    plain = pictured["plain"]
    plain.cover = pictured["cover"]
    plain.save()
    assert set(search_page(client, "gantry")[1]) == {pictured["with_cover"], plain}


def test_rebuilding_the_index_keeps_image_words(client, pictured):
    from search.engine import update_search_vectors

    update_search_vectors()
    assert search_page(client, "gantry")[1] == [pictured["with_cover"]]
    assert search_page(client, "quay")[1] == [pictured["with_body_image"]]


def test_deleting_an_image_drops_its_words(client, pictured):
    pictured["cover"].delete()
    pictured["inline"].delete()
    assert search_page(client, "gantry")[1] == []
    assert search_page(client, "quay")[1] == []
    assert search_page(client, "port")[1] == [pictured["with_cover"]]
