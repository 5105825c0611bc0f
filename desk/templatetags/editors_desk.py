"""`{% editors_desk %}`: the desk's lists on the admin's home (desk/index.html)."""

from django import template

from desk import panels

register = template.Library()


@register.inclusion_tag("desk/panels.html", takes_context=True)
def editors_desk(context):
    request = context["request"]
    return {"desk": panels.for_user(request.user)}
