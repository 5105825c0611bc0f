"""The public page of a shareable preview link, outside any language prefix."""

from django.urls import re_path

from previews import views

app_name = "previews"

# "<link id>-<article id>.<signature>" only: the staff's own `preview/<id>/` stays the articles'.
LINK_PATTERN = r"(?P<token>[0-9]+-[0-9]+\.[A-Za-z0-9_-]+)"

urlpatterns = [
    # url_name "preview": readership's rules count no view on any page of that name.
    re_path(rf"^preview/{LINK_PATTERN}/$", views.preview, name="preview"),
]
