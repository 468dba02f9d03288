"""kamerbrief_extract: Dutch parliamentary documents to validated, linked JSON records."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("kamerbrief-extract")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+source"

PIPELINE_VERSION = "kb-1"
"""Bumped whenever extraction rules change in a way that changes records."""
