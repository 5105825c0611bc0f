"""Queries per request: a page of the list, an article, the section tree."""

import pytest
from django.core.cache import cache

from tests.api.helpers import API


@pytest.mark.parametrize("page_size", [1, 10, 50])
def test_list_query_budget(client, many, django_assert_max_num_queries, page_size):
    cache.clear()  # cold section tree too
    with django_assert_max_num_queries(3):
        response = client.get(f"{API}/articles?page_size={page_size}")
    assert len(response.json()["results"]) == min(page_size, 30)
    with django_assert_max_num_queries(3):
        client.get(f"{API}/articles?page_size={page_size}&section=news-center&tag=all")
    with django_assert_max_num_queries(3):
        client.get(f"{API}/articles?page_size={page_size}&page=99")


def test_detail_query_budget(client, many, django_assert_max_num_queries):
    article = many[0]
    with django_assert_max_num_queries(3):
        assert client.get(f"{API}/articles/{article.pk}").status_code == 200
    with django_assert_max_num_queries(3):
        path = f"{API}/sections/company-news/articles/{article.slug}"
        assert client.get(path).status_code == 200


def test_sections_query_budget(client, many, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        client.get(f"{API}/sections")
    with django_assert_max_num_queries(0):
        client.get(f"{API}/sections")
