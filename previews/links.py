"""The token in a preview link's URL, and the link it stands for.

The token is the link's id and its article's id, signed with the site's SECRET_KEY
(django.core.signing, with a salt of its own): it cannot be guessed or altered, and a link made
for one article cannot be turned into another's. Expiry and revocation are checked against the
database row on every request, so revoking works at once (docs/decisions.md).
"""

from django.core import signing
from django.urls import reverse
from django.utils import timezone

from previews.models import PreviewLink

SIGNER = signing.Signer(salt="previews.link", sep=".")


def token_for(link):
    return SIGNER.sign(f"{link.pk}-{link.article_id}")


def url_for(link):
    return reverse("previews:preview", args=[token_for(link)])


def active_link(token):
    """The unrevoked, unexpired link the token stands for, with its article; else None."""
    try:
        link_id, article_id = (int(part) for part in SIGNER.unsign(token).split("-"))
    except (signing.BadSignature, ValueError):
        return None
    link = PreviewLink.objects.filter(pk=link_id, article_id=article_id).first()
    if link is None or not link.is_active(timezone.now()):
        return None
    return link
