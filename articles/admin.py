"""Admin registrations (first cut; the editorial workflow extends this)."""

from django.contrib import admin

from .models import Article, Image, Section


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "description"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "section", "status", "published_at", "views", "featured"]
    list_filter = ["status", "section", "featured", "language"]
    list_select_related = ["section"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    autocomplete_fields = ["cover", "translation_of"]
    raw_id_fields = ["author"]


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ["title", "alt_text", "width", "height", "created_at"]
    search_fields = ["title", "alt_text", "caption", "credit"]
