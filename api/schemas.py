"""The Content API's typed shapes: pydantic models that both validate and document it.

The OpenAPI schema at /api/v1/openapi.json is generated from these, so a field
described here is a field the API really returns (the schemathesis test holds
every response to them).
"""

import re
from datetime import datetime
from typing import Literal

from django.conf import settings
from ninja import Field, Schema
from pydantic import field_validator

SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
# Filters may be sent empty ("?tag="), meaning no filter.
OPTIONAL_SLUG_PATTERN = r"^[-a-zA-Z0-9_]*$"
# Printable text only: no control characters (a NUL byte would upset PostgreSQL).
TEXT_PATTERN = r"^[^\x00-\x1f\x7f]*$"
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
MAX_QUERY_LENGTH = 200
MAX_PAGE = 1000
ID_MAX = 2**63 - 1

LanguageCode = Literal[tuple(code for code, _name in settings.LANGUAGES)]

# What `fields=` may ask for in the list; `id` always comes back.
LIST_FIELDS = (
    "id",
    "title",
    "slug",
    "section",
    "language",
    "summary",
    "cover",
    "byline",
    "published_at",
    "updated_at",
    "featured",
    "views",
    "tags",
    "url",
    "short_url",
)

_FIELD = "(?:" + "|".join(LIST_FIELDS) + ")"
# A comma-separated list of the names above (spaces and empty items tolerated).
FIELDS_PATTERN = rf"^[ ,]*(?:{_FIELD}(?: *,[ ,]*{_FIELD})*[ ,]*)?$"


def _no_default(schema):
    # Trimmable fields are simply absent when not asked for; never `null` by default.
    schema.pop("default", None)


def trimmable(description):
    return Field(default=None, description=description, json_schema_extra=_no_default)


class ErrorItem(Schema):
    loc: list[str | int] = Field(description="Where the problem is, e.g. ['query', 'page'].")
    msg: str


class Error(Schema):
    detail: str = Field(description="What went wrong, in plain words.")
    errors: list[ErrorItem] = Field(
        default_factory=list, description="One entry per invalid parameter (400 only)."
    )


class Rendition(Schema):
    key: str = Field(description="Width and format, e.g. '800.webp'.")
    url: str
    width: int
    height: int
    type: str = Field(description="MIME type, e.g. 'image/webp'.")
    social: bool = Field(description="The 1200x630 crop made for link previews.")


class ImageOut(Schema):
    url: str = Field(description="Absolute URL of the original file.")
    width: int | None
    height: int | None
    alt_text: str
    caption: str
    credit: str
    renditions: list[Rendition] = Field(
        description="Resized copies, each with its width, height and type."
    )


class Tag(Schema):
    name: str
    slug: str


class SectionRef(Schema):
    id: int
    name: str
    slug: str
    url: str = Field(description="Canonical URL of the section's page.")


class ApiIndex(Schema):
    """Where everything is: the schema, the docs and each collection, as absolute links."""

    name: str
    version: str
    schema_url: str = Field(description="The OpenAPI schema (JSON).")
    docs_url: str = Field(description="Browsable documentation.")
    links: dict[str, str] = Field(
        description="Each collection; `{id}`, `{section}` and `{slug}` stand for values."
    )


class SectionNode(Schema):
    id: int
    name: str
    slug: str
    description: str
    position: int
    parent_id: int | None
    url: str
    children: list["SectionNode"]


SectionNode.model_rebuild()


class ArticleSummary(Schema):
    """An item of the article list. With `fields=`, only the fields asked for (and `id`)."""

    id: int
    title: str = trimmable("Headline.")
    slug: str = trimmable("Unique within the section.")
    section: SectionRef = trimmable("The section the article is filed in.")
    language: str = trimmable("Language code, e.g. 'en' or 'zh-hans'.")
    summary: str = trimmable("Plain-text standfirst.")
    cover: ImageOut | None = trimmable("Cover image, or null.")
    byline: str = trimmable("Who wrote it, as printed.")
    published_at: datetime = trimmable("Time of issue.")
    updated_at: datetime = trimmable("Last edited.")
    featured: bool = trimmable("Chosen by the editors for the front page.")
    views: int = trimmable("Reads counted so far (reading through the API counts none).")
    tags: list[Tag] = trimmable("Tags, by name.")
    url: str = trimmable("Canonical URL of the article's page.")
    short_url: str = trimmable("The short link printed in the article's QR code.")


class ArticlePage(Schema):
    count: int = Field(description="Articles matching the filters, on all pages.")
    page: int
    page_size: int
    pages: int = Field(description="Number of pages (0 when nothing matches).")
    next: str | None = Field(description="Absolute URL of the next page, or null.")
    previous: str | None = Field(description="Absolute URL of the previous page, or null.")
    results: list[ArticleSummary]


class ArticleDetail(Schema):
    id: int
    title: str
    slug: str
    section: SectionRef
    language: str
    translation_of: int | None = Field(description="Id of the article this one translates.")
    summary: str
    body: str = Field(
        description="Body as sanitised HTML (an allow-list of tags, no scripts or styles); "
        "links and images use absolute URLs."
    )
    cover: ImageOut | None
    byline: str
    published_at: datetime
    updated_at: datetime
    featured: bool
    views: int
    tags: list[Tag]
    url: str
    short_url: str


class ViewReport(Schema):
    counted: bool = Field(description="False when the request was not counted (bots, repeats).")
    views: int = Field(description="The article's total views after this report.")


class ArticleFilters(Schema):
    """Query parameters of the article list."""

    section: str | None = Field(
        None,
        description="Section slug; includes its sub-sections.",
        max_length=100,
        pattern=OPTIONAL_SLUG_PATTERN,
    )
    tag: str | None = Field(
        None, description="Tag slug.", max_length=100, pattern=OPTIONAL_SLUG_PATTERN
    )
    language: LanguageCode | None = Field(None, description="Language code.")
    featured: bool | None = Field(None, description="Only featured (or only other) articles.")
    published_after: datetime | None = Field(
        None, description="ISO 8601, inclusive; naive times are in the site's time zone."
    )
    published_before: datetime | None = Field(None, description="ISO 8601, exclusive.")
    q: str | None = Field(
        None,
        description="Search words, matched as on the site's search page.",
        max_length=MAX_QUERY_LENGTH,
        pattern=TEXT_PATTERN,
    )
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
    page_size: int = Field(
        settings.NEWSROOM_PAGE_SIZE, ge=1, le=settings.NEWSROOM_API_MAX_PAGE_SIZE
    )
    fields: str | None = Field(
        None,
        description="Comma-separated fields to return (id always comes back): "
        + ", ".join(LIST_FIELDS)
        + ".",
        max_length=300,
        pattern=FIELDS_PATTERN,
    )

    @field_validator("published_after", "published_before", mode="before")
    @classmethod
    def iso_8601_only(cls, value):
        # pydantic would also take "0.5" as a Unix time: the schema promises ISO 8601 dates.
        if isinstance(value, str) and not ISO_DATE.match(value):
            raise ValueError("Expected an ISO 8601 date or date-time, e.g. 2025-01-31T08:00:00Z.")
        return value
