"""One error type for every input problem, naming the file, the stage and the problem."""

from __future__ import annotations

from pathlib import Path


class IngestError(Exception):
    """A document could not be read; the batch records it and goes on."""

    def __init__(self, path: Path | str, stage: str, message: str) -> None:
        super().__init__(f"{path}: {stage}: {message}")
        self.path = str(path)
        self.stage = stage
        self.message = message
