"""Query parameters beyond what the schemas check: unknown names, field lists, extreme dates."""

from datetime import UTC, datetime

from django.utils import timezone

from api import schemas
from api.errors import BadInput

LIST_PARAMS = frozenset(schemas.ArticleFilters.model_fields)
# The range the databases compare safely; a filter beyond it matches as if at the end.
EARLIEST = datetime(1000, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)


def reject_unknown(request, allowed=frozenset()):
    """A 400 for a parameter the operation does not take: a misspelt filter must not be
    silently ignored (the client would think it filtered)."""
    unknown = sorted(set(request.GET) - allowed)
    if unknown:
        raise BadInput(
            f"Unknown parameter(s): {', '.join(unknown[:5])[:200]}. "
            f"Allowed: {', '.join(sorted(allowed))}.",
            loc=["query", unknown[0][:100]],
        )


def parse_fields(value):
    """The list fields `fields=` asks for, in schema order and always with `id`."""
    if not value:
        return schemas.LIST_FIELDS
    asked = [name.strip() for name in value.split(",") if name.strip()]
    unknown = [name for name in asked if name not in schemas.LIST_FIELDS]
    if unknown:
        raise BadInput(
            f"Unknown field(s): {', '.join(unknown[:5])[:200]}. "
            f"Choose from: {', '.join(schemas.LIST_FIELDS)}.",
            loc=["query", "fields"],
        )
    return tuple(name for name in schemas.LIST_FIELDS if name == "id" or name in asked)


def moment(value):
    """An aware, range-safe datetime: naive times are in TIME_ZONE; extremes are clamped."""
    if timezone.is_naive(value):
        try:
            value = timezone.make_aware(value)
        except (OverflowError, ValueError):
            return EARLIEST if value.year < 5000 else LATEST
    try:
        value = value.astimezone(UTC)
    except (OverflowError, ValueError):
        return EARLIEST if value.year < 5000 else LATEST
    return min(max(value, EARLIEST), LATEST)
