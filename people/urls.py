"""Author pages and their feeds."""

from django.urls import path

from people import feeds, views

app_name = "people"

urlpatterns = [
    path("authors/<slug:author_slug>/", views.author_detail, name="author"),
    path("authors/<slug:author_slug>/feed/", feeds.AuthorFeed(), name="author_feed"),
]
