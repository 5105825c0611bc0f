"""Search fixtures: a small corpus in two languages, and SQLite's FTS5 index required."""

import pytest
from django.db import connection

from articles.models import Article
from search import sqlite_index


@pytest.fixture
def corpus(make_article):
    return {
        "river": make_article(
            title="Riverside line opens",
            summary="Trains run along the river from today.",
            body="<p>The new <strong>railway</strong> serves six stations.</p>",
        ),
        "budget": make_article(
            title="City budget approved",
            summary="Council votes for schools.",
            body="<p>Money for the riverside park, too.</p>",
        ),
        "zh": make_article(
            title="新的地铁线路开通",
            summary="从今天起列车运行。",
            body="<p>这条铁路连接六个车站。</p>",
            language="zh-hans",
        ),
        "draft": make_article(
            title="Riverside draft", summary="Not yet.", status=Article.Status.DRAFT
        ),
    }


@pytest.fixture
def sqlite_index_ready(db):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's FTS5 search index")
    assert sqlite_index.is_ready(), "no FTS5 trigram index: a SQLite build without FTS5?"
