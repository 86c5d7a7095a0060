"""One exception hierarchy for the whole tool; every message is meant to be read by an analyst.

As in OCRmyPDF, each class carries the exit code the command line ends with when it is raised.
"""
from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    ok = 0
    failed = 1                # what was asked could not be done (a batch: some files were refused)
    usage = 2                 # click's own code for a wrong command line
    input_file = 3
    missing_dependency = 4
    corpus = 5
    internal = 15


class PlansError(Exception):
    """Base of everything the tool reports as a user-facing error."""

    exit_code = ExitCode.failed


class InputError(PlansError):
    """A file that cannot be imported, with the reason in plain words."""

    exit_code = ExitCode.input_file

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class MissingDependencyError(PlansError):
    """A system tool the file needs (e.g. Tesseract) is not installed."""

    exit_code = ExitCode.missing_dependency


class CorpusError(PlansError):
    """The corpus database cannot be opened, read or written."""

    exit_code = ExitCode.corpus


class SourceFileError(PlansError):
    """The file a row came from cannot be shown: moved, changed or unreadable since it was imported."""

    exit_code = ExitCode.input_file


class InternalError(PlansError):
    """A bug: something the tool should have handled and did not."""

    exit_code = ExitCode.internal
