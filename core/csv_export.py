"""CSV downloads: the admin's exports and the staff API's `?format=csv`, streamed row by row.

A file is written as it is read (`StreamingHttpResponse` over a query's iterator), so exporting a long
ledger holds one chunk of rows in memory, not the whole file. A text cell that a spreadsheet would
run as a formula (it starts with `=`, `+`, `-`, `@`, a tab or a carriage return) is prefixed with `'`
(OWASP's advice on CSV injection): staff open these files, and notes and titles are typed by people.
"""

import csv
from collections.abc import Iterable, Sequence

from django.http import StreamingHttpResponse
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str | int | float:
    """A value as a CSV cell: numbers stay numbers, None is empty, text is defused."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class _Line:
    """A file-like object whose `write` hands back what it was given, for `csv.writer`."""

    def write(self, text: str) -> str:
        return text


def csv_lines(header: Sequence[str], rows: Iterable[Sequence]) -> Iterable[str]:
    writer = csv.writer(_Line())
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in row])


def csv_response(*, filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> StreamingHttpResponse:
    """A CSV download named `filename`, streamed from `rows` (an iterator: nothing is read in advance)."""
    return StreamingHttpResponse(
        csv_lines(header, rows),
        content_type=CSV_CONTENT_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


class CSVRenderer(BaseRenderer):
    """Lets DRF's content negotiation accept `?format=csv` (and `Accept: text/csv`) on the views that
    offer it. It renders nothing itself: those views stream `csv_response`, and `CSVExportMixin` sends
    every other answer (an error body) as JSON."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"


class CSVExportMixin:
    """For staff report views: JSON by default, CSV with `?format=csv`. A refusal (bad filters, no
    permission) is always answered as JSON with the one error body, whatever format was asked for."""

    renderer_classes = [JSONRenderer, CSVRenderer]

    def wants_csv(self) -> bool:
        return getattr(self.request.accepted_renderer, "format", None) == CSVRenderer.format

    def finalize_response(self, request, response, *args, **kwargs):
        renderer = getattr(request, "accepted_renderer", None)
        if isinstance(response, Response) and getattr(renderer, "format", None) == CSVRenderer.format:
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)
