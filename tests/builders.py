"""In-memory builders for unit tests."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from sovereign.model import Application, Biv, Location


def make_app(name: str, *, line: int = 2, **fields: object) -> Application:
    """An application as an inventory row would give it; ``app_id`` defaults to a slug of the name."""
    fields.setdefault("app_id", name.lower().replace(" ", "-"))
    if isinstance(fields.get("biv"), str):
        a, i, c = (int(x) for x in str(fields["biv"]).split("/"))
        fields["biv"] = Biv(availability=a, integrity=i, confidentiality=c)
    return Application(name=name, source=Location(path="inventory.csv", line=line), **fields)  # type: ignore[arg-type]


EXAMPLE = Path(__file__).resolve().parents[1] / "catalogs" / "examples" / "gemeente-voorbeeld.csv"


def example_with_cycles(folder: Path) -> Path:
    """The example municipality with two dependency cycles (identity <-> firewall, and virtualisation ->
    backup -> virtualisation), written to ``folder/cyclic.csv``."""
    with EXAMPLE.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    name, depends = rows[0].index("Applicatie"), rows[0].index("Afhankelijk van")
    cycles = {
        "Identity (Entra ID)": "Netwerk/firewall",
        "Netwerk/firewall": "Identity (Entra ID)",
        "Virtualisatieplatform": "Backup",
        "Backup": "Virtualisatieplatform",
    }
    changed = 0
    for row in rows[1:]:
        if len(row) > name and row[name] in cycles:
            row[depends] = cycles[row[name]]
            changed += 1
    assert changed == 4
    path = folder / "cyclic.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter=";").writerows(rows)
    return path


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
