"""Template context every page needs: the site's name and its section navigation."""

from django.conf import settings

from articles.sections import section_tree


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "nav_sections": section_tree().top_level,
    }
