"""sovereign: audit a public body's dependence on foreign technology vendors.

The public API is small: read an inventory, load the catalog, run an audit. The CLI is a thin layer over
``sovereign.pipeline``.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
