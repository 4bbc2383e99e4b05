"""``nashra build`` and ``nashra serve``: the briefing of the settings' sources, once or on every change."""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..config import Settings

if TYPE_CHECKING:
    from ..pipeline import BuildReport
from ..errors import NashraError
from ..progress import progress_bar
from .common import make_translator
import socket
from ..ingest.files import require_sources
from ..quality import describe_counts
from ..site.budget import format_size
from ..summarize import get_summarizer

log = logging.getLogger(__name__)


def build(settings: Settings) -> BuildReport:
    """One build of ``settings.sources`` into ``settings.output``; prints the closing summary, returns the report."""
    from ..pipeline import build_briefing
    from ..site.build import load_user_mkdocs

    started = time.monotonic()
    sources = [Path(s) for s in settings.sources]
    site = settings.site
    if settings.root is not None and (settings.root / "mkdocs.yml").is_file():
        site = replace(site, mkdocs=load_user_mkdocs(settings.root / "mkdocs.yml"))

    require_sources(sources)  # a missing source fails before the model loads
    translator = make_translator(settings.translation)
    chosen = get_summarizer(settings.summary.summarizer)
    report = build_briefing(sources, Path(settings.output), translator, chosen, site, settings.summary,
                            progress=functools.partial(progress_bar, label="Translating"))
    assert report.pages is not None and report.site_dir is not None and report.docs_dir is not None
    site_dir, docs_dir, pages, stories = report.site_dir, report.docs_dir, report.pages, report.stories
    stats = translator.stats
    reused = report.articles - report.translated
    click.echo(
        f"Built {report.articles} article{'s' if report.articles != 1 else ''} in {stories} "
        f"stor{'ies' if stories != 1 else 'y'} ({report.sentences} sentences) in {time.monotonic() - started:.1f} s.\n"
        f"Articles: {report.translated} translated, {report.summarized} summarized, {reused} reused unchanged"
        f"{f', {report.removed} removed' if report.removed else ''}.\n"
        f"Titles and sentences: {stats.translated} translated, {stats.cached} from the cache"
        f"{', ' + str(stats.split) + ' split for length' if stats.split else ''}.\n"
        f"Pages: {pages.rendered} rendered, {pages.reused} unchanged and reused.\n"
        f"{_flag_summary(report, stats.redecoded)}",
        err=True,
    )
    if report.published is not None:
        click.echo(_size_summary(report.published), err=True)
    click.echo(f"Site: {site_dir / 'index.html'}", err=True)
    click.echo(f"Markdown: {docs_dir}", err=True)
    if report.skipped:
        click.echo(f"Skipped {len(report.skipped)} input{'s' if len(report.skipped) != 1 else ''}:", err=True)
        for problem in report.skipped:
            click.echo(f"  {problem}", err=True)
    return report


def _size_summary(published: Any) -> str:
    """The closing summary's line on the site's size, its budget and the articles kept as compact entries."""
    size, budget = published.size, published.budget
    line = f"Size: {format_size(size.bytes)} in {size.files:,} files"
    if budget.max_bytes or budget.max_files:
        line += f", {100 * budget.share(size):.0f}% of the budget ({budget.describe()})"
    line += "."
    if published.compact_before is not None:
        line += (f" Compact archive: {published.compact_articles:,} article{'s' if published.compact_articles != 1 else ''}"
                 f" before {published.compact_before.isoformat()} listed on the archive's day pages, their pages given"
                 " up to the budget.")
    return line


def _flag_summary(report: Any, redecoded: int) -> str:
    """The closing summary's line on quality flags."""
    again = f"; {redecoded} decoded again because the translation looped" if redecoded else ""
    if not report.flagged:
        return f"Flagged: no sentence of {report.sentences}{again}."
    return (f"Flagged: {report.flagged} of {report.sentences} sentences as doubtful "
            f"({describe_counts(report.flag_counts)}){again}.")


def serve(settings: Settings, reload: Callable[[], Settings], config_file: Path | None) -> None:
    """Build, serve the site on ``settings.dev_addr`` and rebuild with ``reload()``'s settings on every change.

    ``config_file`` (the project's nashra.toml, if any) and the mkdocs.yml beside it are watched too.
    """
    from ..site.devserver import DevServer

    host, port, url = split_address(settings.dev_addr)
    _check_address(host, port)  # before the build, which can take minutes
    report = build(settings)

    def rebuild() -> None:
        try:
            build(reload())
        except NashraError as exc:
            log.error("rebuild failed, still serving the previous site: %s", exc)

    assert report.site_dir is not None
    server = DevServer(builder=rebuild, host=host, port=port, root=str(report.site_dir))
    watched = list(report.sources)
    if config_file is not None:
        watched.append(config_file)
        if (config_file.parent / "mkdocs.yml").is_file():
            watched.append(config_file.parent / "mkdocs.yml")
    server.ignore(report.site_dir.parent)  # the output folder: its changes are the builds' own
    for path in watched:
        server.watch(str(Path(path).resolve()))
    click.echo(f"Serving on {url} (Ctrl-C to stop)", err=True)
    try:
        server.serve()
    except KeyboardInterrupt:
        click.echo("Stopped.", err=True)
    except OSError as exc:  # the address was taken between the check and now
        raise NashraError(f"cannot serve on {settings.dev_addr}: {exc.strerror or exc}") from None
    finally:
        server.shutdown()


def split_address(address: str) -> tuple[str, int, str]:
    """The host to bind, the port and the site's URL of a ``HOST:PORT`` address.

    An IPv6 host may be given in brackets (``[::1]:8000``, as in a URL) or bare
    (``::1:8000``); it is bound without them and shown with them.
    """
    host, _, port = address.rpartition(":")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    return host, int(port), f"http://{_shown_host(host)}:{port}/"


def _shown_host(host: str) -> str:
    """``host`` as an address shows it: an IPv6 host in brackets."""
    return f"[{host}]" if ":" in host else host


def _check_address(host: str, port: int) -> None:
    """Raise a one-line error when the site cannot be served on ``host:port`` (in use, not this machine's)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host or None, port,
                                                             type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as servers do: ignores TIME_WAIT only
            probe.bind(address)
    except OSError as exc:
        raise NashraError(f"cannot serve on {_shown_host(host)}:{port}: {exc.strerror or exc}") from None
