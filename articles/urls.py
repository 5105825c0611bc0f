from django.urls import path

from .views import reader

app_name = "articles"

urlpatterns = [
    path("", reader.home, name="home"),
    path("news/<slug:section_slug>/", reader.section_detail, name="section"),
    path("news/<slug:section_slug>/<slug:slug>/", reader.article_detail, name="article"),
    path("preview/<int:pk>/", reader.article_preview, name="preview"),
    path("s/<str:code>/", reader.short_link, name="short_link"),
]
