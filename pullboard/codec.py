"""Model records to JSON-ready dicts, for export and listings (the cache uses msgspec)."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Any

import msgspec


def to_jsonable(value: Any) -> Any:
    """Records (msgspec Structs) become dicts in field order, dates ISO 8601 strings, tuples
    lists, enums their value."""
    if isinstance(value, msgspec.Struct):
        return {name: to_jsonable(getattr(value, name)) for name in value.__struct_fields__}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):  # datetime is a date too
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | frozenset | set):
        return [to_jsonable(v) for v in value]
    return value
