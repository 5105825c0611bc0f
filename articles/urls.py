from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("news/<slug:section_slug>/", views.section_detail, name="section"),
    path("news/<slug:section_slug>/<slug:slug>/", views.article_detail, name="article"),
    path("preview/<int:pk>/", views.article_preview, name="preview"),
    path("s/<str:code>/", views.short_link, name="short_link"),
]
