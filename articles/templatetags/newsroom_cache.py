"""`{% fragment name vary... %}...{% endfragment %}`: a template part cached per generation.

Like Django's `{% cache %}`, but invalidated at once by any content change (see caching.py)
and living at most `fragment_seconds` from the context (resolved only when the part is
built, so computing it costs nothing on a hit). Nothing request-specific (CSRF token, CSP
nonce, user, view counts) may go inside a fragment.
"""

from django import template
from django.utils.safestring import mark_safe

from .. import caching

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, parts):
        self.nodelist = nodelist
        self.parts = parts

    def render(self, context):
        key = caching.fragment_key(part.resolve(context) for part in self.parts)
        gen, html = caching._fetch(key)
        if html is None:
            html = self.nodelist.render(context)
            seconds = context.get("fragment_seconds")
            seconds = seconds() if callable(seconds) else seconds
            caching._store(
                key, gen, str(html), caching.cache_seconds() if seconds is None else seconds
            )
        return mark_safe(html)  # rendered (and escaped) by the template engine


@register.tag("fragment")
def do_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% fragment %} needs a name")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, [parser.compile_filter(bit) for bit in bits[1:]])
