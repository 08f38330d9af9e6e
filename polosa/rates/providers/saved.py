"""A transport that answers the bank's daily URLs from saved documents instead of the network.

Documents are files named ``YYYY-MM-DD.xml`` (the effective date) in one folder. Like the bank, a
request for a date without its own document gets the latest earlier one. Used for backfills from
an archive (``import_rates --from … --to … --dir …``), the backfill benchmark and the demo.
"""

from __future__ import annotations

import bisect
from datetime import date, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from .base import Response


class SavedDocumentsTransport:
    def __init__(self, directory: str | Path):
        self.directory = Path(directory)
        if not self.directory.is_dir():
            raise FileNotFoundError(f"no such folder of saved documents: {self.directory}")
        self.files: dict[date, Path] = {}
        for path in self.directory.glob("*.xml"):
            try:
                self.files[date.fromisoformat(path.stem)] = path
            except ValueError:
                continue
        self.dates = sorted(self.files)

    def __call__(self, url: str, timeout: float) -> Response:
        query = parse_qs(urlsplit(url).query)
        try:
            wanted = datetime.strptime(query["date_req"][0], "%d/%m/%Y").date()  # noqa: DTZ007
        except (KeyError, ValueError):
            return Response(404, "text/html", b"<html><body>Not found</body></html>")
        index = bisect.bisect_right(self.dates, wanted)
        if index == 0:
            return Response(404, "text/html", b"<html><body>Not found</body></html>")
        return Response(200, "application/xml", self.files[self.dates[index - 1]].read_bytes())
