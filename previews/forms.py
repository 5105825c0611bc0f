"""Making a preview link: which article, for whom, and for how many days."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles import workflow
from articles.models import Article
from previews.models import DEFAULT_DAYS, MAX_DAYS, PreviewLink

SHAREABLE = (Article.Status.DRAFT, Article.Status.REVIEW)


class PreviewLinkForm(forms.ModelForm):
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=MAX_DAYS,
        initial=DEFAULT_DAYS,
        help_text=_("The link stops working after this many days (at most 30)."),
    )

    class Meta:
        model = PreviewLink
        fields = ["article", "note"]

    request_user = None  # set per request by the admin

    def clean_article(self):
        article = self.cleaned_data["article"]
        if not workflow.can_edit(self.request_user, article):
            raise forms.ValidationError(
                _("You may only share previews of articles you can change."), code="permission"
            )
        if article.status not in SHAREABLE:
            raise forms.ValidationError(
                _("Only drafts and articles in review have preview links."), code="status"
            )
        return article

    def save(self, commit=True):
        link = super().save(commit=False)
        link.expires_at = timezone.now() + timedelta(days=self.cleaned_data["days"])
        link.created_by = self.request_user
        if commit:
            link.save()
        return link
