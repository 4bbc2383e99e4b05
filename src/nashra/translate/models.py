"""The models Nashra supports by short name, with their published quality and their licences.

``--model opus-mt`` (the default) and ``--model tc-big`` name the two
Helsinki-NLP Arabic→English MarianMT models; any other model id or folder is
used as given. :func:`licence_of` finds the licence a model carries — from this
table, or from the model card (``README.md`` front matter ``license:``) in its
folder — so that the site can name it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ModelInfo:
    """A supported model: what it is, what it scores, and what its licence asks."""

    name: str
    id: str
    licence: str
    parameters: str
    architecture: str
    #: Published scores, Arabic→English (OPUS-MT leaderboard / model card).
    flores_bleu: float
    flores_chrf: float
    tico19_bleu: float


MODELS: dict[str, ModelInfo] = {
    "opus-mt": ModelInfo("opus-mt", "Helsinki-NLP/opus-mt-ar-en", "Apache-2.0", "76 M",
                         "transformer-base: d_model 512, 6+6 layers, 8 heads, FFN 2048, swish, vocabulary 62,834",
                         33.9, 0.610, 32.3),
    "tc-big": ModelInfo("tc-big", "Helsinki-NLP/opus-mt-tc-big-ar-en", "CC-BY-4.0", "about 240 M",
                        "transformer-big: d_model 1024, 6+6 layers, 16 heads, FFN 4096, ReLU, vocabulary 61,109",
                        42.6, 0.670, 44.4),
}
DEFAULT_NAME = "opus-mt"

#: Licences as SPDX ids, with where to read them and whether they ask for attribution.
LICENCES: dict[str, tuple[str, bool]] = {
    "Apache-2.0": ("https://www.apache.org/licenses/LICENSE-2.0", False),
    "CC-BY-4.0": ("https://creativecommons.org/licenses/by/4.0/", True),
    "MIT": ("https://opensource.org/license/mit", False),
    "CC-BY-NC-4.0": ("https://creativecommons.org/licenses/by-nc/4.0/", True),
}


def resolve_name(model: str) -> str:
    """The model id a short name stands for (``tc-big`` -> ``Helsinki-NLP/opus-mt-tc-big-ar-en``); else ``model``."""
    info = MODELS.get(model.strip().lower())
    return info.id if info is not None else model


def info_of(model: str) -> ModelInfo | None:
    """The supported model ``model`` names (short name or id), if any."""
    wanted = resolve_name(model)
    return next((info for info in MODELS.values() if info.id.lower() == wanted.lower()), None)


def spdx(licence: str) -> str:
    """``cc-by-4.0`` -> ``CC-BY-4.0``, ``apache-2.0`` -> ``Apache-2.0``; others as given."""
    return next((known for known in LICENCES if known.lower() == licence.strip().lower()), licence.strip())


def licence_url(licence: str | None) -> str | None:
    return LICENCES.get(licence, (None, False))[0] if licence else None


def asks_attribution(licence: str | None) -> bool:
    return bool(licence) and LICENCES.get(licence or "", ("", False))[1]


_CARD_LICENCE_RE = re.compile(r"^license:\s*['\"]?([\w.+-]+)['\"]?\s*$", re.MULTILINE)


def _card_licence(folder: Path) -> str | None:
    """``license:`` from the YAML front matter of the model card (``README.md``), as the hub writes it."""
    try:
        text = (folder / "README.md").read_text(encoding="utf-8", errors="replace")[:20000]
    except OSError:
        return None
    if not text.startswith("---"):
        return None
    front = text[3:].split("\n---", 1)[0]
    match = _CARD_LICENCE_RE.search(front)
    return spdx(match.group(1)) if match else None


def licence_of(model: str, folder: Path | None = None) -> str | None:
    """The licence of ``model`` (an SPDX id), or None when it cannot be told.

    A supported model's licence comes from :data:`MODELS`; a folder's from its
    model card, else from the model it was converted from (``nashra-model.json``).
    """
    info = info_of(model)
    if info is not None:
        return info.licence
    if folder is None:
        return None
    card = _card_licence(folder)
    if card is not None:
        return card
    try:
        marker = json.loads((folder / "nashra-model.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    source = str(marker.get("source_model") or "")
    if source and source != model:
        source_path = Path(source)
        return licence_of(source, source_path if source_path.is_dir() else None)
    return None
