"""Local media files (single-machine installs), served by Django's static view.

Only the library's own folders are served: the default MEDIA_ROOT (BASE_DIR/media) is also the
folder of this app's code, which must never be a download. `django.views.static.serve` lets the
OS error through when a stranger asks for an impossible name (too long, NUL byte, a file where
a folder should be): that is a missing file, a 404, never a 500.

Browsers may keep a rendition for good: its name holds its content's hash, so new content is a
new name. An original keeps the name of its upload, and once a replaced or deleted image's file
is gone (media.lifecycle) a later upload of the same name in the same month takes it again:
originals are kept briefly only.
"""

import posixpath

from django.http import Http404
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from django.views.static import serve

from media.models import IMAGE_DIR
from media.renditions import RENDITION_DIR

LIBRARY_FOLDERS = (IMAGE_DIR + "/", RENDITION_DIR + "/")
RENDITION_CACHE = {"public": True, "max_age": 365 * 24 * 3600, "immutable": True}
ORIGINAL_CACHE = {"public": True, "max_age": 3600}


@require_safe
def serve_media(request, path, document_root=None):
    # The same normalisation as `serve`, so "images/../x" is judged as "x".
    name = posixpath.normpath(path).lstrip("/")
    if not name.startswith(LIBRARY_FOLDERS):
        raise Http404("No such file")
    try:
        response = serve(request, path, document_root=document_root)
    except (OSError, ValueError) as exc:
        raise Http404("No such file") from exc
    rendition = name.startswith(RENDITION_DIR + "/")
    patch_cache_control(response, **(RENDITION_CACHE if rendition else ORIGINAL_CACHE))
    return response
