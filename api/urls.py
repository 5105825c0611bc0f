"""/api/v1/: the API's operations, schema and docs; any other path there is a JSON 404."""

from django.urls import include, path, re_path

from api.errors import not_found
from api.v1 import api

# The JSON 404 joins ninja's patterns in the API's namespace, where the middleware finishes
# every answer (CORS, OPTIONS).
_operations, _ninja_app, _namespace = api.urls
_unknown_path = re_path(r"^.*$", not_found, name="not-found")

urlpatterns = [path("", include(([*_operations, _unknown_path], _ninja_app), namespace=_namespace))]
