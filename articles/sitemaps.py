"""Sitemaps for search engines: /sitemap.xml (an index), sections, live articles, Google News.

django.contrib.sitemaps builds absolute URLs from the request's host; here every URL comes
from settings.SITE_URL instead (`SiteUrlSitemap.get_urls` and our own index view), so a
forged Host header cannot put another domain into what search engines read. Article
pages hold the protocol's 50,000 URLs each; the news sitemap lists the last two days'
articles, at most 1,000, as Google News asks.
"""

from datetime import timedelta
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
from django.utils import timezone
from django.utils.http import http_date
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from articles import cached, seo
from articles.models import Article, Section
from core import pagecache

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
    changefreq = "hourly"
    priority = 0.6

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
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return (
            Article.objects.live()
            .select_related("section")
            .only("slug", "updated_at", "published_at", "section__slug")
            .order_by("-published_at", "-id")
        )

    def lastmod(self, article):
        return max(article.updated_at, article.published_at)

    def get_latest_lastmod(self):
        return latest_change(Article.objects.live())


class NewsSitemap(SiteUrlSitemap):
    """Articles of the last two days, with the <news:news> block Google News reads."""

    limit = NEWS_LIMIT

    def items(self):
        since = timezone.now() - timedelta(days=NEWS_DAYS)
        return (
            Article.objects.live()
            .filter(published_at__gte=since)
            .select_related("section")
            .only("title", "slug", "language", "updated_at", "published_at", "section__slug")
            .order_by("-published_at", "-id")[:NEWS_LIMIT]
        )

    def lastmod(self, article):
        return max(article.updated_at, article.published_at)

    def get_latest_lastmod(self):
        since = timezone.now() - timedelta(days=NEWS_DAYS)
        return latest_change(Article.objects.live().filter(published_at__gte=since))

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page, site, protocol)
        for url in urls:
            article = url["item"]
            url["news_language"] = seo.NEWS_LANGUAGE.get(article.language, article.language)
        return urls


SITEMAPS = {"sections": SectionSitemap, "articles": ArticleSitemap, "news": NewsSitemap}
TEMPLATES = {"news": "articles/sitemap_news.xml"}  # others: articles/sitemap.xml
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
    for name, cls in SITEMAPS.items():
        sitemap = cls()
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
                template_name=TEMPLATES.get(section, "articles/sitemap.xml"),
            )
        except (EmptyPage, PageNotAnInteger) as error:
            raise Http404("No such page") from error

    # Up to 50,000 URLs a page: built once per change (pagecache.cached_response).
    return pagecache.cached_response(("sitemap", section, page), build, cached.fragment_seconds)


@require_safe
@cache_control(public=True, max_age=3600)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: " + reverse("search:search"),
        "Disallow: /preview/",
        "Disallow: /i18n/",
        "Disallow: /lang/",
        "",
        f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
