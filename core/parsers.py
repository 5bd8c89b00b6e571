"""The API's JSON parser: DRF's, with a bound on how deeply a body may nest.

Python's JSON decoder recurses once per level: a 2 KB body of a thousand `[` raises RecursionError,
which DRF's parser does not catch (a 500 on every JSON endpoint, anonymous ones included). Nothing
the API takes nests more than a few levels, so a body deeper than MAX_DEPTH is refused as malformed
(400 `parse_error`) before any view sees it, and so is one the decoder itself cannot descend.
"""

from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_DEPTH = 32
TOO_DEEP = f"JSON parse error - the body nests more than {MAX_DEPTH} levels deep."


def json_depth_exceeds(data, limit: int) -> bool:
    """Whether a decoded JSON value nests lists/objects more than `limit` levels (walked without
    recursion, so the check itself cannot overflow the stack)."""
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        pending.extend((child, depth + 1) for child in children)
    return False


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(TOO_DEEP) from None
        if json_depth_exceeds(data, MAX_DEPTH):
            raise ParseError(TOO_DEEP)
        return data
