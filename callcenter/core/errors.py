"""An error that names the field at fault: settings, form fields, CLI options."""
from __future__ import annotations


class FieldError(ValueError):
    """``name: problem`` — what was wrong, and where, in words an operator can act on."""

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"{name}: {problem}")
        self.name = name
        self.problem = problem
