"""graph.json's text, made fast: ``json.dumps(value, ensure_ascii=False, sort_keys=True,
indent=1)`` without the cost of indenting.

With ``indent`` set, :mod:`json` falls back to its pure-Python encoder, the slowest part of
writing a big graph.json. :func:`indented` gives the same text, character for character,
using the C encoder for each string (the tests compare both on every node of a build).

>>> value = {"b": [1, {"c": None}], "a": "英伟达\\n", "d": [], "e": 0.5, "f": True}
>>> indented(value) == json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1)
True
"""

from __future__ import annotations

import json

_string = json.encoder.encode_basestring  # json.dumps's own string encoder with ensure_ascii=False
_INFINITY = float("inf")


def indented(value: object, depth: int = 0) -> str:
    """``value`` as json.dumps writes it with sort_keys and indent=1, its lines (after the
    first) indented as if it sat ``depth`` levels deep."""
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, dict):
        return _object(value, depth)
    if isinstance(value, (list, tuple)):
        return _array(value, depth)
    return _scalar(value)


def nested(text: str, depth: int) -> str:
    """A value's text placed ``depth`` levels deep: each line indented one space a level."""
    prefix = " " * depth
    return prefix + text.replace("\n", "\n" + prefix)


def _object(value: dict, depth: int) -> str:
    if not value:
        return "{}"
    inner = "\n" + " " * (depth + 1)
    items = (f"{_key(key)}: {indented(item, depth + 1)}" for key, item in sorted(value.items()))
    return "{" + inner + ("," + inner).join(items) + "\n" + " " * depth + "}"


def _array(value: list | tuple, depth: int) -> str:
    if not value:
        return "[]"
    inner = "\n" + " " * (depth + 1)
    return "[" + inner + ("," + inner).join(indented(item, depth + 1) for item in value) + "\n" + " " * depth + "]"


def _key(key: object) -> str:
    if isinstance(key, str):
        return _string(key)
    return json.dumps({key: 0}, ensure_ascii=False)[1:-4]  # json's own text for a non-string key


def _scalar(value: object) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        if value != value:
            return "NaN"
        if value in (_INFINITY, -_INFINITY):
            return "Infinity" if value > 0 else "-Infinity"
        return float.__repr__(value)
    return json.dumps(value, ensure_ascii=False)  # anything else: as json would (or its error)
