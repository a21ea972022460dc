"""Text from callers, checked once where every input object is built.

PostgreSQL refuses NUL in text, and neither driver can encode a lone UTF-16
surrogate (``"\\ud800"`` is valid JSON); a very long search pattern makes
SQLite refuse the LIKE. Every ``@strawberry.input`` type derives from
``CheckedInput``, so each string it receives, in any field or list, is
checked while Strawberry builds the input from the request, before any
resolver runs. A failure is a ``BAD_USER_INPUT`` error naming the field.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from strawberry.types.base import StrawberryObjectDefinition
from strawberry.utils.str_converters import to_camel_case

from propgraph.schema.relay import bad_input

# Longest string any input field takes unless it says otherwise: the longest
# free text we store (a review comment) is 1,000 characters.
MAX_TEXT = 1000
# Longest text to search for (``nameContains``); names are at most 128.
MAX_SEARCH_TEXT = 200
MAX_LENGTH = "propgraph.max_length"  # field metadata key: the field's own limit


def max_length(limit: int) -> dict[str, int]:
    """Field metadata giving a string field its own limit: ``metadata=max_length(200)``."""
    return {MAX_LENGTH: limit}


def text_problem(text: str, limit: int = MAX_TEXT) -> str | None:
    """Why ``text`` cannot be taken, or None."""
    if len(text) > limit:
        return f"may have at most {limit:,} characters"
    if "\x00" in text:
        return "may not contain NUL characters"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "may not contain unpaired surrogate characters"
    return None


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    # nested inputs check themselves when built; enums, numbers, files are not text


class CheckedInput:
    """Base of every input type: its strings are checked as it is built."""

    def __post_init__(self) -> None:
        definition: StrawberryObjectDefinition = type(self).__strawberry_definition__  # type: ignore[attr-defined]
        for field in definition.fields:
            metadata: Mapping[str, Any] = field.metadata or {}
            limit = metadata.get(MAX_LENGTH, MAX_TEXT)
            for text in _strings(getattr(self, field.python_name)):
                problem = text_problem(text, limit)
                if problem is not None:
                    name = field.graphql_name or to_camel_case(field.python_name)
                    raise bad_input(f"`{name}` {problem}.")


def from_graphql(input_type: type[Any], value: dict[str, Any]) -> Any:
    """An input object from graphql-core's coerced value (keys are GraphQL names).

    Nested input objects are not converted: the types that need this have none.
    """
    definition: StrawberryObjectDefinition = input_type.__strawberry_definition__
    names = {
        f.graphql_name or to_camel_case(f.python_name): f.python_name for f in definition.fields
    }
    return input_type(**{names[key]: item for key, item in value.items()})
