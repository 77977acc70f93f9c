"""Streamed CSV downloads that are safe to open in a spreadsheet.

Written by hand around the stdlib `csv` writer because that writer quotes cells but does
not neutralise formulas: a cell such as `=HYPERLINK("https://evil.example", "Open")` runs
when a spreadsheet opens the file (CSV injection, see OWASP's "CSV Injection" page). Text
cells starting with `=`, `+`, `-`, `@`, a tab or a carriage return get a leading `'`,
which spreadsheets show as text, not evaluate. Numbers are written as numbers.
"""

import csv
import io
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Sequence
from datetime import UTC, datetime
from decimal import Decimal

from fastapi.responses import StreamingResponse

CSV_MEDIA_TYPE = "text/csv"
# What OpenAPI says a CSV download answers (route `responses=`), so clients and the
# schema checks know the 200 is not JSON.
CSV_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {"description": "A CSV file with a header row.", "content": {CSV_MEDIA_TYPE: {}}}
}

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """One value as CSV text: the same text for the same value on every database."""
    if value is None:
        return ""
    if isinstance(value, str):
        return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value
    if isinstance(value, datetime):
        # The JSON API's form: UTC with a Z, whatever offset the driver handed back.
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, Decimal):
        return format(value, "f")  # never exponent notation (Decimal("1E+2") -> "100")
    return str(value)


async def csv_lines(
    header: Sequence[str], batches: AsyncIterable[Iterable[Sequence[object]]]
) -> AsyncIterator[bytes]:
    """The header row, then one UTF-8 chunk per batch of rows: memory holds one batch."""
    buffer = io.StringIO()
    # RFC 4180 line endings; QUOTE_MINIMAL quotes cells holding commas, quotes or newlines.
    writer = csv.writer(buffer, lineterminator="\r\n")

    def drain() -> bytes:
        chunk = buffer.getvalue().encode()
        buffer.seek(0)
        buffer.truncate()
        return chunk

    writer.writerow(header)
    yield drain()
    async for rows in batches:
        writer.writerows([cell(value) for value in row] for row in rows)
        if chunk := drain():
            yield chunk


def csv_response(body: AsyncIterator[bytes], *, filename: str) -> StreamingResponse:
    """A download of `body` as `filename`; headers go out before the first row is read."""
    return StreamingResponse(
        body,
        media_type=f"{CSV_MEDIA_TYPE}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
