"""Local media files (single-machine installs), served by Django's static view.

Only the library's own folders are served: the default MEDIA_ROOT (BASE_DIR/media) is also the
folder of this app's code, which must never be a download. `django.views.static.serve` lets the
OS error through when a stranger asks for an impossible name (too long, NUL byte, a file where
a folder should be): that is a missing file, a 404, never a 500.
"""

import posixpath

from django.http import Http404
from django.views.decorators.http import require_safe
from django.views.static import serve

from media.models import IMAGE_DIR
from media.renditions import RENDITION_DIR

LIBRARY_FOLDERS = (IMAGE_DIR + "/", RENDITION_DIR + "/")


@require_safe
def serve_media(request, path, document_root=None):
    # The same normalisation as `serve`, so "images/../x" is judged as "x".
    if not posixpath.normpath(path).lstrip("/").startswith(LIBRARY_FOLDERS):
        raise Http404("No such file")
    try:
        return serve(request, path, document_root=document_root)
    except (OSError, ValueError) as exc:
        raise Http404("No such file") from exc
