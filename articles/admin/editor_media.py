"""The prose editor's import map is an inline script: its form media must carry the CSP nonce."""

from js_asset import Media


def with_csp_nonce(request, media):
    """`media` carrying the request's CSP nonce (unchanged if there is none to carry)."""
    if media is None or not hasattr(media, "_js_lists"):
        return media
    nonce = getattr(request, "csp_nonce", None)
    return Media.from_media(media, nonce=nonce) if nonce is not None else media
