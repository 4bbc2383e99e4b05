"""Translation on a Ray cluster: Ray Data translates the sentences the cache lacks, the cache keeps them.

The driver (``nashra translate-archive``) sends distinct normalized sentences, sorted by length, to a
Ray Data pipeline: ``map_batches`` with :class:`TranslationActor`, a callable class of which Ray keeps
one actor per worker slot, each loading the model once. Finished batches stream back to the driver,
which writes them into the translation cache under the namespace a local build of the same settings
uses, so that a following ``nashra build`` translates nothing. Ray Data does the scheduling, the
backpressure and the retries (an actor that dies is restarted and its batch run again); this module
only prepares the work and keeps the score.

The work goes in chunks of :data:`CHUNK_SENTENCES`: the driver never holds more than a chunk, and a
driver killed and started again redoes only what the cache does not hold yet.
"""

from __future__ import annotations

import logging
import os
import socket
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import BuildError, ConfigError
from .cache import TranslationCache

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)

RAY_MISSING = "translate-archive needs Ray Data: pip install 'nashra[ray]'"
#: Sentences prepared, translated and written per Ray Data pipeline.
CHUNK_SENTENCES = 50_000
#: Sentences per batch sent to an actor (the engine batches them again by tokens).
BATCH_SENTENCES = 64
#: Seconds between progress log lines.
LOG_EVERY = 10.0


def import_ray() -> Any:
    """The ``ray`` module with Ray Data, or a :class:`ConfigError` naming the install command."""
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError:
        raise ConfigError(RAY_MISSING) from None
    return ray


@dataclass(frozen=True)
class ModelSpec:
    """What an actor needs to build the translator: engine, model and options (no cache: the driver keeps it).

    ``files``: a Ray object reference to a local model folder's files, shipped to nodes that cannot read
    the folder; each node writes them once into its temporary folder.
    """

    engine: str
    model: str
    options: dict[str, Any]
    files: list[Any] | None = None
    digest: str = ""


class TranslationActor:
    """One worker slot: loads the model once, then translates batch after batch (a Ray Data callable class)."""

    def __init__(self, spec: ModelSpec) -> None:
        from . import get_translator

        model = spec.model
        if spec.files:
            model = str(_materialize(spec))
        self.translator = get_translator(spec.engine, model, cache=None, **spec.options)
        self.translator.load()
        self.worker = f"{socket.gethostname()}:{os.getpid()}"

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, Any]:
        sources = [str(s) for s in batch["source"]]
        started = time.perf_counter()
        translations = self.translator.translate(sources)
        seconds = time.perf_counter() - started
        count = len(sources)
        return {"source": sources, "translation": translations, "worker": [self.worker] * count,
                "seconds": [seconds / max(count, 1)] * count}


def model_files(folder: Path) -> dict[str, bytes]:
    """A local model folder's files by relative path (what is shipped to nodes that cannot read it)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def files_digest(files: dict[str, bytes]) -> str:
    """A short digest of shipped files (names and contents): the folder each node writes them to."""
    import hashlib

    digest = hashlib.sha256()
    for name, data in files.items():
        digest.update(name.encode())
        digest.update(data)
    return digest.hexdigest()[:16]


def _materialize(spec: ModelSpec) -> Path:
    """The shipped model written once into this node's temporary folder (actors of a node share it)."""
    import ray

    target = Path(tempfile.gettempdir()) / f"nashra-model-{spec.digest}"
    if target.is_dir():
        return target
    files: dict[str, bytes] = ray.get(spec.files[0]) if spec.files else {}
    staging = Path(tempfile.mkdtemp(prefix=f"{target.name}.", dir=target.parent))
    for name, data in files.items():
        path = staging / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    try:
        staging.rename(target)
    except OSError:  # another actor of this node got there first
        import shutil

        shutil.rmtree(staging, ignore_errors=True)
    return target


@dataclass(frozen=True)
class Joined:
    """The Ray cluster this process joined: in words, and whether it is a local instance Nashra started
    (whose workers read this machine's folders)."""

    words: str
    local: bool = False

    def __str__(self) -> str:
        return self.words


def connect(address: str, cpus: int | None = None) -> Joined:
    """Join the Ray cluster at ``address`` (``auto``: this machine's cluster, else a local instance;
    ``local``: a local instance on this machine's CPUs)."""
    ray = import_ray()
    _quiet_ray_data(ray)
    if ray.is_initialized():
        return Joined("the Ray instance already running in this process")
    quiet = {"logging_level": logging.WARNING, "log_to_driver": False, "include_dashboard": False}
    if address == "auto":
        try:
            ray.init(address="auto", **quiet)
            return Joined("the Ray cluster of this machine")
        except ConnectionError:
            log.warning("no Ray cluster found on this machine; starting a local Ray instance on its CPUs")
            address = "local"
    if address == "local":
        ray.init(num_cpus=cpus, **quiet)
        return Joined(f"a local Ray instance ({int(ray.cluster_resources().get('CPU', 0))} CPUs)", local=True)
    _reachable(address)
    try:
        ray.init(address=address, **quiet)
    except (ConnectionError, ValueError, RuntimeError) as exc:
        hint = (" (the cluster asks for a token: see https://docs.ray.io/en/latest/ray-security/token-auth.html)"
                if "auth" in str(exc).lower() else "")
        raise ConfigError(f"cannot join the Ray cluster at {address}: {_last_line(exc)}{hint}") from None
    return Joined(f"the Ray cluster at {address}")


#: Seconds to wait for a cluster's address to answer before saying it cannot be reached.
CONNECT_TIMEOUT = 10.0


def _reachable(address: str) -> None:
    """A ConfigError at once when nothing answers at ``address`` (Ray itself retries for minutes)."""
    target = address.split("://", 1)[-1].rstrip("/")
    host, _, port = target.rpartition(":")
    if not host or not port.isdigit():
        raise ConfigError(f"--cluster {address}: expected auto, local, HOST:PORT or ray://HOST:PORT")
    try:
        socket.create_connection((host, int(port)), timeout=CONNECT_TIMEOUT).close()
    except TimeoutError:
        raise ConfigError(f"cannot reach the Ray cluster at {address}: nothing answered within "
                          f"{CONNECT_TIMEOUT:g} s") from None
    except OSError as exc:
        raise ConfigError(f"cannot reach the Ray cluster at {address}: {exc.strerror or exc}") from None


def _last_line(exc: BaseException) -> str:
    """The last line of an error's message that says something (Ray's messages end with the cause)."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[-1] if lines else type(exc).__name__


def _quiet_ray_data(ray: Any) -> None:
    """Ray Data's own progress bars and execution logs off (Nashra's progress says what is done), unless -vv."""
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False
    if not log.isEnabledFor(logging.DEBUG):
        logging.getLogger("ray.data").setLevel(logging.WARNING)


@dataclass
class WorkerStats:
    sentences: int = 0
    seconds: float = 0.0


@dataclass
class ArchiveReport:
    """What ``translate-archive`` did: distinct sentences found, already cached, translated now."""

    sentences: int = 0
    cached: int = 0
    translated: int = 0
    seconds: float = 0.0
    #: Seconds from the first chunk's start to its first finished batch (Ray Data's start-up and the models' loading).
    first_batch: float | None = None
    workers: dict[str, WorkerStats] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.translated / self.seconds if self.seconds > 0 else 0.0


def chunks(sentences: Iterable[str], size: int = CHUNK_SENTENCES) -> Iterator[list[str]]:
    """Distinct sentences in lists of ``size`` (a sentence seen in an earlier chunk is not repeated)."""
    seen: set[str] = set()
    chunk: list[str] = []
    for sentence in sentences:
        if not sentence or sentence in seen:
            continue
        seen.add(sentence)
        chunk.append(sentence)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def translate_archive(sentences: Iterable[str], spec: ModelSpec, namespace: str, cache: TranslationCache,
                      actors: int, cpus_per_actor: float, gpus_per_actor: float = 0.0,
                      batch_size: int = BATCH_SENTENCES, chunk_size: int = CHUNK_SENTENCES,
                      on_chunk: Callable[[int], None] | None = None,
                      on_batch: Callable[[int], None] | None = None,
                      report: ArchiveReport | None = None) -> ArchiveReport:
    """Translate the ``sentences`` (normalized) that ``cache`` lacks under ``namespace`` on the Ray cluster
    this process has joined (see :func:`connect`), writing each finished batch into ``cache``.

    ``on_chunk(to_do)`` is told the sentences each chunk sends out, ``on_batch(done)`` those each batch
    written brings back (a terminal's progress bar). ``report`` is filled as the work goes (give one to
    watch it); the same is returned.
    """
    ray = import_ray()
    report = ArchiveReport() if report is None else report
    started = time.perf_counter()
    last_log = started
    for chunk in chunks(sentences, chunk_size):
        report.sentences += len(chunk)
        cached = cache.get_many(namespace, chunk)
        report.cached += len(cached)
        todo = sorted((s for s in chunk if s not in cached), key=len)
        if not todo:
            continue
        if on_chunk is not None:
            on_chunk(len(todo))
        chunk_started = time.perf_counter()
        dataset = ray.data.from_items([{"source": s} for s in todo]).map_batches(
            TranslationActor, fn_constructor_kwargs={"spec": spec}, batch_size=batch_size,
            compute=ray.data.ActorPoolStrategy(size=actors), num_cpus=cpus_per_actor,
            num_gpus=gpus_per_actor or None)
        done_in_chunk = 0
        try:
            for batch in dataset.iter_batches(batch_size=None, batch_format="numpy"):
                sources = [str(s) for s in batch["source"]]
                cache.put_many(namespace, dict(zip(sources, (str(t) for t in batch["translation"]), strict=True)))
                if report.first_batch is None:
                    report.first_batch = time.perf_counter() - chunk_started
                for worker, seconds in zip(batch["worker"], batch["seconds"], strict=True):
                    stats = report.workers.setdefault(str(worker), WorkerStats())
                    stats.sentences += 1
                    stats.seconds += float(seconds)
                done_in_chunk += len(sources)
                report.translated += len(sources)
                if on_batch is not None:
                    on_batch(len(sources))
                now = time.perf_counter()
                if now - last_log >= LOG_EVERY:
                    last_log = now
                    rate = report.translated / (now - started)
                    left = len(todo) - done_in_chunk
                    log.info("translated %d sentences (%.1f a second); %d of %d left in this chunk, about %s",
                             report.translated, rate, left, len(todo), _duration(left / rate if rate else 0.0))
        except ray.exceptions.RayError as exc:
            raise BuildError(f"translation on the cluster failed: {_last_line(exc)} (the batches that finished "
                             "are in the cache: run again to go on)") from None
    report.seconds = time.perf_counter() - started
    return report


def _duration(seconds: float) -> str:
    minutes, second = divmod(int(seconds), 60)
    hours, minute = divmod(minutes, 60)
    return f"{hours}:{minute:02d}:{second:02d}"
