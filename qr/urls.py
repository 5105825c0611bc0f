"""An article's QR code files and the short links printed under them."""

from django.urls import path

from qr import views

app_name = "qr"

urlpatterns = [
    path("news/<slug:section_slug>/<slug:slug>/qr.svg", views.qr_svg, name="svg"),
    path("news/<slug:section_slug>/<slug:slug>/qr.png", views.qr_png, name="png"),
    path("news/<slug:section_slug>/<slug:slug>/poster.pdf", views.poster_pdf, name="poster"),
    path("s/<str:code>/", views.short_link, name="short_link"),
]
