"""The exceptions Nashra raises.

Library code raises these; only the command-line interface turns them into a
one-line message and a non-zero exit code.
"""

from __future__ import annotations


class NashraError(Exception):
    """Base class of every error Nashra raises on purpose."""


def shown_path(path: object) -> str:
    """``path`` as one line of plain text: a byte that is not UTF-8 (kept by Python as a lone surrogate) is
    written ``\\xff``, and line breaks, control, bidirectional and other format characters ``\\u202e``, so
    that a file name can neither break a message into two lines nor make it read as something else."""
    import unicodedata

    text = str(path)
    if text.isprintable() and not any(unicodedata.category(c) == "Cf" for c in text):
        return text
    out = []
    for char in text:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's stand-in for an undecodable byte
            out.append(f"\\x{code - 0xDC00:02x}")
        elif not char.isprintable() and char != " " or unicodedata.category(char) in ("Cf", "Cs"):
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
        else:
            out.append(char)
    return "".join(out)


class InputError(NashraError):
    """An input file or folder cannot be read as an article."""

    def __init__(self, path: object, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{shown_path(path)}: {reason}")


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
