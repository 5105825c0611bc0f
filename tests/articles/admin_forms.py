"""Driving the article admin's forms as a browser would: GET the page, change fields, POST."""

from django.forms import CheckboxInput, MultiWidget
from django.urls import reverse

ADD_URL = "admin:articles_article_add"


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def form_values(response):
    """The POST data a browser would send for the admin form on this page, as rendered."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        bound = form[name]
        widget = field.widget
        value = bound.value()
        while hasattr(widget, "widget") and not isinstance(widget, MultiWidget):
            widget = widget.widget  # RelatedFieldWidgetWrapper
        if isinstance(widget, MultiWidget):
            parts = value if isinstance(value, list | tuple) else widget.decompress(value)
            for i, (sub, part) in enumerate(zip(widget.widgets, parts, strict=False)):
                formatted = sub.format_value(part)
                data[f"{name}_{i}"] = "" if formatted is None else formatted
        elif isinstance(widget, CheckboxInput):
            if value:
                data[name] = "on"
        elif value is None:
            data[name] = ""
        elif isinstance(value, list | tuple) and not hasattr(widget, "format_value"):
            data[name] = list(value)
        else:
            formatted = widget.format_value(value)
            data[name] = "" if formatted is None else formatted
    return data


def post_form(client, url, **changes):
    """GET the admin form, change some fields like an editor would, and POST it."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    data = form_values(page)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return client.post(url, data)


def errors_of(response):
    if response.status_code != 200 or not response.context:
        return {}
    return response.context["adminform"].form.errors


def new_article(client, section, **fields):
    fields.setdefault("title", "Harbour bridge reopens")
    fields.setdefault("slug", "harbour-bridge-reopens")
    fields.setdefault("section", str(section.pk))
    fields.setdefault("summary", "The bridge is open again.")
    fields.setdefault("body", "<h2>Works</h2><p>Six months of works.</p>")
    response = post_form(client, reverse(ADD_URL), **fields)
    return response
