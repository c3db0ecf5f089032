"""Allow ``python -m sovereign``."""

from .cli import cli

cli()
