"""Posters: what a printer gets decodes to the right short link, at poster and flyer size.

Every test reads the code back from the PDF as pdfium rasterises it (150 and 72 dpi), never
from what the code meant to draw.
"""

import pytest

from qr.models import Placement, PlacementDay
from qr.poster_files import poster_file, source_for
from tests.qr.helpers import decode_pdf, pdf_page_sizes_mm, pdf_text, poster_url

pytestmark = pytest.mark.django_db

PAGE_MM = {"a4": (210, 297), "a5": (148, 210)}
LONG_TITLE = ("Canteen notice: the riverside line opens with extended service hours " * 5)[:300]
CHINESE_TITLE = "机器人公司发布新一代协作机器人，工厂生产效率提升三成"


def get_poster(client, article, **query):
    response = client.get(poster_url(article), query)
    assert response.status_code == 200, response.content[:200]
    assert response["Content-Type"] == "application/pdf"
    return response.content


@pytest.mark.parametrize("size", ["a4", "a5"])
@pytest.mark.parametrize("dpi", [150, 72])
def test_the_poster_decodes_to_the_articles_short_link_and_following_it_counts(
    reader, article, size, dpi
):
    pdf = get_poster(reader, article, size=size)
    assert pdf_page_sizes_mm(pdf) == [PAGE_MM[size]]
    assert decode_pdf(pdf, dpi) == [article.get_short_url()]
    response = reader.get(article.get_short_url())
    assert response["Location"] == article.get_full_url()
    article.refresh_from_db()
    assert article.qr_scans == 1


def test_a4_is_the_default_and_other_sizes_are_a_400(client, article):
    assert pdf_page_sizes_mm(get_poster(client, article)) == [PAGE_MM["a4"]]
    for query in ({"size": "a3"}, {"size": ""}, {"size": "A4 "}, {"paper": "a4"}):
        response = client.get(poster_url(article), query)
        assert response.status_code == 400
        assert response["Content-Type"].startswith("text/plain")
    assert client.get(poster_url(article) + "?size=a4&size=a5").status_code == 400


def test_the_poster_prints_what_the_issue_asks_for(client, article):
    pdf = get_poster(client, article)
    assert b"/FontFile2" in pdf and b"Helvetica" not in pdf  # only embedded type
    text = pdf_text(pdf)
    for shown in (article.title, article.summary, "Company news", "Time of issue"):
        assert shown in text
    assert article.get_short_url() in text  # the link in plain text, under the code
    assert "Preview" not in text


@pytest.mark.parametrize("size", ["a4", "a5"])
def test_a_300_character_title_wraps_inside_the_page_and_the_code_still_reads(make_article, size):
    # Titles are stored up to 200 characters; the poster holds more (an API, a later change).
    article = make_article(summary="A summary. " * 40)
    source = source_for(article)._replace(title=LONG_TITLE)
    pdf = poster_file(source, size).content
    assert pdf_page_sizes_mm(pdf) == [PAGE_MM[size]]  # one page: nothing flowed over
    text = pdf_text(pdf).replace("\r", "").replace("\n", " ")
    assert LONG_TITLE[:120] in text.replace("  ", " ")
    for dpi in (150, 72):
        assert decode_pdf(pdf, dpi) == [article.get_short_url()]


def test_a_title_without_spaces_wraps_too(client, make_article):
    article = make_article(title="x" * 200)
    pdf = get_poster(client, article, size="a5")
    assert decode_pdf(pdf, 72) == [article.get_short_url()]


@pytest.mark.parametrize("size", ["a4", "a5"])
def test_a_chinese_poster_prints_chinese_with_an_embedded_font(client, make_article, size):
    article = make_article(title=CHINESE_TITLE, summary="在食堂扫码阅读全文。", language="zh-hans")
    pdf = get_poster(client, article, size=size)
    text = pdf_text(pdf)
    assert CHINESE_TITLE in text.replace("\r", "").replace("\n", "")
    assert "发布时间" in text  # the labels follow the article's language
    assert b"/FontFile2" in pdf  # embedded TrueType: no font the printer must have
    assert b"STSong" not in pdf  # reportlab's non-embedded CID fonts would not print
    for dpi in (150, 72):
        assert decode_pdf(pdf, dpi) == [article.get_short_url()]


def test_a_cover_image_is_printed_and_an_article_without_one_still_gets_a_poster(
    client, make_article, make_image
):
    bare = make_article(title="No picture")
    with_cover = make_article(title="With picture", cover=make_image())
    bare_pdf, cover_pdf = get_poster(client, bare), get_poster(client, with_cover)
    assert b"/Subtype /Image" not in bare_pdf
    assert b"/Subtype /Image" in cover_pdf
    for pdf, article in ((bare_pdf, bare), (cover_pdf, with_cover)):
        assert decode_pdf(pdf, 72) == [article.get_short_url()]


def test_drafts_posters_are_for_staff_only_with_a_preview_banner(
    reader, editor_client, make_article
):
    draft = make_article(status="draft", title="Not yet")
    assert reader.get(poster_url(draft)).status_code == 404
    response = editor_client.get(poster_url(draft))
    assert response.status_code == 200
    assert "Preview: not published" in pdf_text(response.content)
    assert "private" in response["Cache-Control"]


def test_a_live_poster_is_public_with_an_etag_and_304s(client, article):
    response = client.get(poster_url(article))
    assert "public" in response["Cache-Control"]
    again = client.get(poster_url(article), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    download = client.get(poster_url(article), {"download": "1"})
    assert download["Content-Disposition"].startswith("attachment")


def test_a_warm_poster_is_served_from_the_cache_with_no_query(
    client, article, django_assert_max_num_queries
):
    first = get_poster(client, article)
    with django_assert_max_num_queries(0):
        assert get_poster(client, article) == first


def test_an_edit_makes_a_new_poster(client, article):
    before = get_poster(client, article)
    article.title = "Riverside line opens early"
    article.save()
    after = get_poster(client, article)
    assert before != after
    assert "opens early" in pdf_text(after)


def test_a_placements_poster_holds_its_own_link_and_its_scan_counts_for_it_alone(reader, article):
    canteen = Placement.objects.create(article=article, name="Canteen board")
    lobby = Placement.objects.create(article=article, name="Lobby screen")
    pdf = poster_file(source_for(article), "a5", canteen.short_code).content
    for dpi in (150, 72):
        [link] = decode_pdf(pdf, dpi)
        assert link == canteen.get_short_url()
    assert reader.get(link)["Location"] == article.get_full_url()
    counts = dict(PlacementDay.objects.values_list("placement__name", "scans"))
    assert counts == {"Canteen board": 1}
    lobby.refresh_from_db()
    assert lobby.scans == 0


def test_a_cover_whose_file_is_gone_prints_no_cover_and_no_error(client, make_article, make_image):
    image = make_image()
    article = make_article(cover=image)
    storage = image.file.storage
    for entry in image.renditions.values():
        storage.delete(entry["name"])
    storage.delete(image.file.name)
    pdf = get_poster(client, article)
    assert decode_pdf(pdf, 72) == [article.get_short_url()]


def test_an_uploaded_png_cover_with_transparency_prints(client, make_article, make_image):
    image = make_image(name="logo.png", fmt="PNG", size=(800, 400))
    assert any(key.endswith(".png") for key in image.renditions)
    article = make_article(cover=image)
    assert decode_pdf(get_poster(client, article), 72) == [article.get_short_url()]


def test_the_printed_link_comes_from_site_url_never_the_host_header(client, settings, article):
    settings.SITE_URL = "https://news.example.com"
    response = client.get(poster_url(article), HTTP_HOST="localhost")
    text = pdf_text(response.content)
    assert f"https://news.example.com/s/{article.short_code}/" in text
    assert decode_pdf(response.content, 72) == [f"https://news.example.com/s/{article.short_code}/"]
    assert "localhost" not in text
