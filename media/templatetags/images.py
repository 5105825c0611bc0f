"""`{% picture image sizes=... lazy=... priority=... %}`: a library image as a responsive <picture>.

The HTML is built in media/html.py (one place for covers, lists and article bodies).
"""

from django import template

from media import html

register = template.Library()


@register.simple_tag
def picture(image, sizes=html.SIZES_BODY, lazy=True, priority=False, css_class=""):
    """WebP <source> plus a JPEG/PNG <img> with srcset, sizes, width/height, alt and decoding.

    `lazy` adds loading="lazy" (below the fold); `priority` marks the main image of a page
    with fetchpriority="high". A missing file renders nothing (and is logged).
    """
    return html.picture_html(image, sizes=sizes, lazy=lazy, priority=priority, css_class=css_class)


@register.simple_tag
def social_card_url(image):
    """Absolute URL of the image's social card, or ""."""
    return html.social_card_url(image) or ""
