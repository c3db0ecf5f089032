"""Allow ``python -m sovereign``."""

from .cli import main

main()
