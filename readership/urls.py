"""The view beacon: where a page served by a shared cache reports its view."""

from django.urls import path

from readership import views

app_name = "readership"

urlpatterns = [
    path("views/beacon/", views.count_view, name="beacon"),
]
