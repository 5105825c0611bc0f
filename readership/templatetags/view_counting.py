"""`{% view_beacon article %}`: in beacon mode, the script that counts the page's view.

Renders nothing in server mode (the view counts itself). The output depends only on the
article, so it may sit inside a cached fragment or a CDN-cached page.
"""

from django import template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html

from readership import beacon

register = template.Library()


@register.simple_tag
def view_beacon(article):
    if not beacon.is_on() or article is None or not article.is_live:
        return ""
    return format_html(
        '<script src="{}" defer data-view-beacon="{}" data-token="{}"></script>',
        static("js/beacon.js"),
        reverse("readership:beacon"),
        beacon.token_for(article.pk),
    )
