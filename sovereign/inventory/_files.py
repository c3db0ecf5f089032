"""Reading an inventory file's bytes, with the errors a user can act on.

The only place the readers touch the file system: a missing path, a directory or an unreadable file becomes
an ``InputError`` naming the path. Reads the whole file (inventories are small) so that the digest and the
parse see the same bytes. Does no parsing and no printing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sovereign.errors import InputError

__all__ = ["FileBytes", "read_file_bytes"]


@dataclass(frozen=True, slots=True)
class FileBytes:
    """A file's content and its SHA-256 digest (hex), read once."""

    label: str  # the path as the user gave it, for messages and locations
    data: bytes
    sha256: str


def read_file_bytes(path: Path) -> FileBytes:
    """Read ``path`` whole; raise ``InputError`` when it is missing, a directory or unreadable."""
    label = str(path)
    if not path.exists():
        raise InputError("no such file", location=label, hint="check the path and the file name")
    if path.is_dir():
        raise InputError(
            "is a directory, not an inventory file",
            location=label,
            hint="pass the inventory files inside it, e.g. " + str(path / "applicaties.xlsx"),
        )
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"cannot be read: {e.strerror or e}", location=label) from e
    return FileBytes(label=label, data=data, sha256=hashlib.sha256(data).hexdigest())
