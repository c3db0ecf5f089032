"""In-memory builders for unit tests."""

from __future__ import annotations

import io
from typing import Any

from sovereign.model import Application, Biv, Location


def make_app(name: str, *, line: int = 2, **fields: object) -> Application:
    """An application as an inventory row would give it; ``app_id`` defaults to a slug of the name."""
    fields.setdefault("app_id", name.lower().replace(" ", "-"))
    if isinstance(fields.get("biv"), str):
        a, i, c = (int(x) for x in str(fields["biv"]).split("/"))
        fields["biv"] = Biv(availability=a, integrity=i, confidentiality=c)
    return Application(name=name, source=Location(path="inventory.csv", line=line), **fields)  # type: ignore[arg-type]


class FullDisk(io.RawIOBase):
    """A binary file that takes the first ``room`` bytes, then fails as a full disk does."""

    def __init__(self, room: int) -> None:
        self.room = room
        self.written = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.written += len(data)
        if self.written > self.room:
            raise OSError(28, "No space left on device")
        return len(data)
