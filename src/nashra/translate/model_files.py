"""Find a model's files: a local folder, the Hugging Face cache, or a download.

``transformers`` on its own retries for minutes when the hub cannot be
reached and then fails with an unrelated error; this module answers at once
with a message that says what to do.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
from pathlib import Path
from urllib.parse import urlparse

from ..errors import MissingDependencyError, ModelError

log = logging.getLogger(__name__)

DEFAULT_MODEL = "Helsinki-NLP/opus-mt-ar-en"
#: Files a MarianMT model needs; weights are chosen separately.
MARIAN_FILES = ["config.json", "generation_config.json", "source.spm", "target.spm", "vocab.json", "tokenizer_config.json"]
WEIGHT_FILES = ["model.safetensors", "pytorch_model.bin"]


def _offline_hint(model: str) -> str:
    return (
        f"On a machine with internet access run any Nashra command once to download '{model}', "
        f"or copy the model to a folder and pass it with --model /path/to/folder"
    )


def hub_reachable(timeout: float = 5.0) -> bool:
    """Whether the Hugging Face endpoint answers a TCP connection quickly."""
    try:
        from huggingface_hub import constants
    except ImportError:  # pragma: no cover - transformers depends on it
        return False
    endpoint = urlparse(constants.ENDPOINT)
    port = endpoint.port or (443 if endpoint.scheme == "https" else 80)
    try:
        with socket.create_connection((endpoint.hostname or "", port), timeout=timeout):
            return True
    except OSError:
        return False


def resolve_model(model: str, revision: str | None = None) -> Path:
    """Return a local folder holding ``model``: the folder itself, or a hub snapshot.

    Raises :class:`ModelError` with a one-line explanation when it cannot.
    """
    path = Path(model).expanduser()
    if path.exists():
        if not path.is_dir():
            raise ModelError(f"--model '{model}' is a file; give the folder that holds config.json and the model files")
        if not (path / "config.json").is_file() and not (path / "model.bin").is_file():
            raise ModelError(f"model folder '{model}' has no config.json; is it a saved MarianMT or CTranslate2 model?")
        return path
    if model.startswith((".", "/", "~")) or os.sep in model and model.count("/") != 1:
        raise ModelError(f"model folder '{model}' does not exist")
    try:
        from huggingface_hub import snapshot_download
        from huggingface_hub.errors import HfHubHTTPError, LocalEntryNotFoundError
    except ImportError as exc:  # pragma: no cover - transformers depends on it
        raise MissingDependencyError("huggingface_hub", purpose="to download models") from exc
    try:
        cached = snapshot_download(model, revision=revision, local_files_only=True)
        if (Path(cached) / "config.json").is_file():
            log.debug("model %s found in the Hugging Face cache at %s", model, cached)
            return Path(cached)
    except (LocalEntryNotFoundError, OSError, ValueError):
        pass
    if os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes"):
        raise ModelError(f"model '{model}' is not in the local cache and HF_HUB_OFFLINE is set. {_offline_hint(model)}")
    if not hub_reachable():
        raise ModelError(f"model '{model}' is not in the local cache and the Hugging Face hub cannot be reached. {_offline_hint(model)}")
    log.warning("downloading %s (once; later runs use the local cache)", model)
    try:
        from huggingface_hub import list_repo_files

        available = set(list_repo_files(model, revision=revision))
        weights = next((w for w in WEIGHT_FILES if w in available), None)
        if weights is None:
            raise ModelError(f"model '{model}' on the hub has no PyTorch weights ({' or '.join(WEIGHT_FILES)})")
        # The model card (README.md) says the model's licence, which the site names.
        folder = snapshot_download(model, revision=revision, allow_patterns=[*MARIAN_FILES, "README.md", weights])
    except ModelError:
        raise
    except (HfHubHTTPError, OSError, ValueError) as exc:
        raise ModelError(f"cannot download model '{model}': {str(exc).splitlines()[0]}. {_offline_hint(model)}") from None
    return Path(folder)


def revision_of(folder: Path) -> str:
    """A revision id for a model folder: the hub commit for a cache snapshot, else a content fingerprint.

    Reads only small files and the ends of the weights, so it is cheap enough
    to compute on every run without loading the model.
    """
    if folder.parent.name == "snapshots" and len(folder.name) == 40:
        return folder.name
    digest = hashlib.sha256()
    for name in ("config.json", "generation_config.json", "vocab.json", "source.spm", "target.spm", "tokenizer_config.json"):
        file = folder / name
        if file.is_file():
            digest.update(name.encode())
            digest.update(file.read_bytes())
    for name in (*WEIGHT_FILES, "model.bin"):
        file = folder / name
        if file.is_file():
            size = file.stat().st_size
            digest.update(f"{name}:{size}".encode())
            with file.open("rb") as handle:
                digest.update(handle.read(1 << 20))
                if size > 2 << 20:
                    handle.seek(-(1 << 20), os.SEEK_END)
                    digest.update(handle.read(1 << 20))
    return "sha256:" + digest.hexdigest()[:16]


def read_json(file: Path) -> dict:
    import json

    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
