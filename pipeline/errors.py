"""One exception hierarchy for the whole tool; every message is meant to be read by an analyst."""
from __future__ import annotations


class PlansError(Exception):
    """Base of everything the tool reports as a user-facing error."""


class InputError(PlansError):
    """A file that cannot be imported, with the reason in plain words."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class MissingDependencyError(PlansError):
    """A system tool the file needs (e.g. Tesseract) is not installed."""
