"""Author profiles in the admin: who writes, as readers see them on their pages."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from people.models import Author


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "user", "page_link"]
    list_select_related = ["user"]
    search_fields = ["name", "role", "slug", "user__username"]
    prepopulated_fields = {"slug": ["name"]}
    # The user as a plain list: editors may pick a writer without the right to browse users.
    autocomplete_fields = ["photo"]
    fields = ["user", "name", "slug", "role", "bio", "photo"]

    @admin.display(description=_("page"))
    def page_link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.get_absolute_url())
