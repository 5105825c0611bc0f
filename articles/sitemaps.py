"""Sitemaps for search engines: /sitemap.xml (an index), sections, live articles, Google News.

django.contrib.sitemaps builds absolute URLs from the request's host; here every URL comes
from settings.SITE_URL instead (`SiteUrlSitemap.get_urls` and our own index view), so a
forged Host header cannot put another domain into what search engines read. Article
pages hold the protocol's 50,000 URLs each; the news sitemap lists the last two days'
articles, at most 1,000, as Google News asks.

Per language: sections in every language with hreflang alternates; articles and news in one
sitemap per language ("articles", "news" for the default language, "articles-zh-hans", ...).
"""

from datetime import timedelta
from functools import partial
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Max, Q
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import http_date
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from articles import cached, listings, seo
from articles.models import Article, Section
from core import pagecache
from people.models import Author

NEWS_DAYS = 2
NEWS_LIMIT = 1000


def site_parts():
    """(protocol, domain with any path prefix) of SITE_URL."""
    parts = urlsplit(settings.SITE_URL)
    return parts.scheme or "https", parts.netloc + parts.path.rstrip("/")


def latest_change(articles):
    """The newest edit or issue among `articles`, in one aggregate query (not one per item)."""
    found = articles.aggregate(changed=Max("updated_at"), issued=Max("published_at"))
    dates = [d for d in found.values() if d]
    return max(dates) if dates else None


class SiteUrlSitemap(Sitemap):
    """A sitemap whose URLs start with SITE_URL whatever host the request named."""

    limit = 50_000

    def get_urls(self, page=1, site=None, protocol=None):
        protocol, domain = site_parts()
        return self._urls(page, protocol, domain)


class SectionSitemap(SiteUrlSitemap):
    """Every section page in every language, each with its other-language alternates."""

    changefreq = "hourly"
    priority = 0.6
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        now = timezone.now()
        live = Q(articles__status=Article.Status.PUBLISHED, articles__published_at__lte=now)
        return Section.objects.annotate(
            last_change=Max("articles__updated_at", filter=live),
            last_issue=Max("articles__published_at", filter=live),
        ).order_by("position", "name", "pk")

    def lastmod(self, section):
        dates = [d for d in (section.last_change, section.last_issue) if d]
        return max(dates) if dates else None

    def get_latest_lastmod(self):
        return latest_change(Article.objects.live())


class ArticleSitemap(SiteUrlSitemap):
    """The live articles of one language (an article's page is in its own language only)."""

    changefreq = "daily"
    priority = 0.8

    def __init__(self, language=settings.LANGUAGE_CODE):
        self.language = language

    def live(self):
        return Article.objects.live().filter(language=self.language)

    def items(self):
        return (
            self.live()
            .select_related("section")
            .only("slug", "language", "updated_at", "published_at", "section__slug")
            .order_by("-published_at", "-id")
        )

    def lastmod(self, article):
        return max(article.updated_at, article.published_at)

    def get_latest_lastmod(self):
        return latest_change(self.live())


class NewsSitemap(ArticleSitemap):
    """One language's articles of the last two days, with the <news:news> block Google News
    reads."""

    changefreq = priority = None
    limit = NEWS_LIMIT

    def items(self):
        since = timezone.now() - timedelta(days=NEWS_DAYS)
        return (
            self.live()
            .filter(published_at__gte=since)
            .select_related("section")
            .only("title", "slug", "language", "updated_at", "published_at", "section__slug")
            .order_by("-published_at", "-id")[:NEWS_LIMIT]
        )

    def get_latest_lastmod(self):
        since = timezone.now() - timedelta(days=NEWS_DAYS)
        return latest_change(self.live().filter(published_at__gte=since))

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page, site, protocol)
        for url in urls:
            article = url["item"]
            url["news_language"] = seo.NEWS_LANGUAGE.get(article.language, article.language)
        return urls


def per_language(name, cls):
    """{sitemap name: maker of the sitemap} of `cls` for each language: the default language's
    under the bare name. Makers, not instances: a sitemap keeps state while it renders."""
    return {
        name if code == settings.LANGUAGE_CODE else f"{name}-{code}": partial(cls, code)
        for code, _name in settings.LANGUAGES
    }


class TagSitemap(SiteUrlSitemap):
    """Tag pages that live articles carry, in every language (perhaps empty in one)."""

    changefreq = "daily"
    priority = 0.4
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return listings.live_tags().order_by("slug").only("slug")

    def location(self, tag):
        return reverse("articles:tag", args=[tag.slug])


class AuthorSitemap(SiteUrlSitemap):
    """Every author's page, in every language."""

    changefreq = "weekly"
    priority = 0.4
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return Author.objects.order_by("slug").only("slug")


SITEMAPS = {
    "sections": SectionSitemap,
    **per_language("articles", ArticleSitemap),
    **per_language("news", NewsSitemap),
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}
NEWS_TEMPLATE = "articles/sitemap_news.xml"
DEFAULT_TEMPLATE = "articles/sitemap.xml"
CACHE = cache_control(public=True, max_age=300)


@require_safe
@CACHE
@x_robots_tag
def index(request):
    """The sitemap index: each sitemap and each of its pages, absolute from SITE_URL.

    Built once per change (pagecache.cached_response): it aggregates over every live article.
    """
    return pagecache.cached_response(
        ("sitemap-index",), lambda: build_index(request), cached.fragment_seconds
    )


def build_index(request):
    base = settings.SITE_URL
    items, latest = [], None
    for name, make_sitemap in SITEMAPS.items():
        sitemap = make_sitemap()
        url = base + reverse("sitemap_section", kwargs={"section": name})
        lastmod = sitemap.get_latest_lastmod()
        if lastmod and (latest is None or lastmod > latest):
            latest = lastmod
        pages = sitemap.paginator.num_pages
        items.append(SitemapIndexItem(url, lastmod))
        items.extend(SitemapIndexItem(f"{url}?p={page}", lastmod) for page in range(2, pages + 1))
    headers = {"Last-Modified": http_date(latest.timestamp())} if latest else None
    return TemplateResponse(
        request,
        "sitemap_index.xml",
        {"sitemaps": items},
        content_type="application/xml",
        headers=headers,
    )


@require_safe
@CACHE
def section(request, section):
    """One sitemap (or one page of it): ?p= junk or past the end is a 404, as django does."""
    if section not in SITEMAPS:
        raise Http404("No such sitemap")
    page = request.GET.get("p", "1")
    if not page.isdigit():  # django's view would 404 too; this also stops "1e9" and "-1"
        raise Http404("No such page")

    def build():
        try:
            return sitemap_view(
                request,
                {section: SITEMAPS[section]},
                section=section,
                template_name=NEWS_TEMPLATE if section.startswith("news") else DEFAULT_TEMPLATE,
            )
        except (EmptyPage, PageNotAnInteger) as error:
            raise Http404("No such page") from error

    # Up to 50,000 URLs a page: built once per change (pagecache.cached_response).
    return pagecache.cached_response(("sitemap", section, page), build, cached.fragment_seconds)


@require_safe
@cache_control(public=True, max_age=3600)
def robots_txt(request):
    lines = ["User-agent: *"]
    for code, _name in settings.LANGUAGES:  # the reader's pages in every language
        with translation.override(code):
            prefix = reverse("articles:home")
            lines += [f"Disallow: {reverse('search:search')}", f"Disallow: {prefix}preview/"]
            lines.append(f"Disallow: {prefix}lang/")
    lines += [
        "Disallow: /i18n/",
        "Disallow: " + reverse("healthz"),
        "Disallow: " + reverse("readyz"),
        "",
        f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
