"""Local media files (single-machine installs), served by Django's static view.

`django.views.static.serve` lets the OS error through when a stranger asks for an
impossible name (too long, NUL byte, a file where a folder should be): that is a
missing file, a 404, never a 500.
"""

from django.http import Http404
from django.views.decorators.http import require_safe
from django.views.static import serve


@require_safe
def serve_media(request, path, document_root=None):
    try:
        return serve(request, path, document_root=document_root)
    except (OSError, ValueError) as exc:
        raise Http404("No such file") from exc
