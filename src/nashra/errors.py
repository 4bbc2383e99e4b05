"""The exceptions Nashra raises.

Library code raises these; only the command-line interface turns them into a
one-line message and a non-zero exit code.
"""

from __future__ import annotations


class NashraError(Exception):
    """Base class of every error Nashra raises on purpose."""


class InputError(NashraError):
    """An input file or folder cannot be read as an article."""

    def __init__(self, path: object, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class ModelError(NashraError):
    """A translation model cannot be found or loaded."""


class MissingDependencyError(NashraError):
    """An optional dependency is not installed."""

    def __init__(self, package: str, extra: str | None = None, purpose: str = "") -> None:
        target = f"nashra[{extra}]" if extra else package
        what = f" {purpose}" if purpose else ""
        super().__init__(f"{package} is needed{what}: pip install '{target}'")
        self.package = package


class ConfigError(NashraError):
    """An option or setting has an invalid value."""


class BuildError(NashraError):
    """The static site could not be built."""
