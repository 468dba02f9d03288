"""Importing this module loads the pipeline (gazetteer included) and warms it on a small text.

Batch runs preload it into the forkserver, so every worker forked from it starts with
the pipeline in memory instead of loading its own copy first.
"""

from __future__ import annotations

from kamerbrief_extract.nlp.pipeline import warm_pipeline

warm_pipeline()
