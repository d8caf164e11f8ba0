"""What the ONDE reader reports: file-level refusals and per-line issues."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class LineIssue:
    """One line of one file that cannot be imported, and why.

    ``line`` is the physical line number in the file (the header is line 1); 0 means
    the issue concerns the whole file.
    """

    file: str  # "pupils" or "guardians"
    line: int
    column: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "file"
        column = f", column {self.column}" if self.column else ""
        return f"{self.file} {where}{column}: {self.reason}"


class OndeFileError(ValueError):
    """The whole file is refused (too big, not a CSV, a required column is missing…)."""

    def __init__(self, file: str, message: str) -> None:
        super().__init__(message)
        self.file = file
        self.message = message

    def as_issue(self) -> LineIssue:
        return LineIssue(file=self.file, line=0, column="", reason=self.message)
