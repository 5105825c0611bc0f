"""One page: a 20 kB template rendered with a small context, no database."""

from django.shortcuts import render
from django.urls import path


def page(request):
    return render(
        request,
        "bare.html",
        {"title": "A bare Django page", "items": [f"Item {n}" for n in range(20)]},
    )


urlpatterns = [path("", page)]
