"""The ``nashra`` command line.

Heavy modules (torch, transformers, MkDocs) are imported inside the commands
so that ``nashra --help`` stays fast. Library errors (:class:`NashraError`)
become a one-line message and a non-zero exit code here, and only here.
"""

from __future__ import annotations

import functools
import json
import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .errors import NashraError
from .progress import progress_bar
from .summarize import DEFAULT_SUMMARIZER, SUMMARIZERS
from .translate import COMPUTE_TYPES, DEFAULT_MODEL, ENGINES

F = TypeVar("F", bound=Callable[..., Any])
log = logging.getLogger("nashra")


class NashraGroup(click.Group):
    """Turns Nashra's errors into ``Error: ...`` and exit code 1, without a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NashraError as exc:
            raise click.ClickException(str(exc)) from None
        except OSError as exc:  # a file or folder the command could not read or write
            where = f"{exc.filename}: " if exc.filename is not None else ""
            raise click.ClickException(f"{where}{exc.strerror or exc}") from None
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)


def configure_logging(verbose: int, quiet: bool) -> None:
    level = logging.ERROR if quiet else {0: logging.WARNING, 1: logging.INFO}.get(verbose, logging.DEBUG)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s" if verbose > 1 else "%(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Third-party libraries stay at WARNING unless -vv asks for everything.
    for name in ("mkdocs", "mkdocs_static_i18n", "transformers", "huggingface_hub", "urllib3", "filelock"):
        logging.getLogger(name).setLevel(logging.DEBUG if verbose > 1 else max(level, logging.WARNING))


# -- shared options ------------------------------------------------------------


def model_options(func: F) -> F:
    func = click.option("--threads", type=click.IntRange(min=1), default=None,
                        help="CPU threads for translation (default: the CPUs available).")(func)
    func = click.option("--no-cache", is_flag=True, help="Neither read nor write the translation cache.")(func)
    func = click.option(
        "--cache",
        "cache_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        envvar="NASHRA_CACHE",
        help="Translation cache file (default: translations.sqlite3 in the user cache folder). Env: NASHRA_CACHE.",
    )(func)
    func = click.option("--device", default="auto", show_default=True, help="cpu, cuda, cuda:N or auto (CUDA when available).")(func)
    func = click.option(
        "--compute-type", default="int8", show_default=True, type=click.Choice(COMPUTE_TYPES),
        help="Weights' precision with --engine ctranslate2.",
    )(func)
    func = click.option(
        "--engine", default="transformers", show_default=True, envvar="NASHRA_ENGINE",
        help=f"Translation engine: {' or '.join(ENGINES)} (ctranslate2: pip install 'nashra[ctranslate2]').",
    )(func)
    func = click.option(
        "--model",
        default=DEFAULT_MODEL,
        show_default=True,
        envvar="NASHRA_MODEL",
        metavar="NAME|ID|PATH",
        help="opus-mt (the default, faster) or tc-big (stronger, CC-BY-4.0), a Hugging Face model id, or a local"
             " folder holding the model (works offline); see docs/models.md. Env: NASHRA_MODEL.",
    )(func)
    return func


def project_options(func: F) -> F:
    """SOURCES, --output, --config and --jobs, shared by build and serve."""
    func = click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, envvar="NASHRA_JOBS",
                        help="Processes rendering the HTML of a large site at once (default: one per CPU, at most 4;"
                             " each needs about 120 MB). Env: NASHRA_JOBS.")(func)
    func = click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
                        help="Project settings (default: nashra.toml in the current folder, if any).")(func)
    func = click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=Path("briefing"),
                        show_default=True, help="Output folder: docs/ (Markdown) and site/ (HTML) are written there.")(func)
    return click.argument("sources", nargs=-1, type=click.Path(path_type=Path))(func)


def summary_options(func: F) -> F:
    func = click.option("--summary-words", type=click.IntRange(min=1), default=None,
                        help="Length budget: stop adding summary sentences past this many words.")(func)
    func = click.option("--summarizer", default=DEFAULT_SUMMARIZER, show_default=True,
                        help=f"Summarizer: {', '.join(SUMMARIZERS)} (newsrank: lead, centrality, title).")(func)
    func = click.option(
        "--sentences", "-n", type=click.IntRange(min=1), default=3, show_default=True, help="Sentences per summary."
    )(func)
    return func


def _translator(model: str, engine: str, device: str, cache_path: Path | None, no_cache: bool,
                threads: int | None, compute_type: str) -> Any:
    from .translate import get_translator
    from .translate.cache import TranslationCache, default_cache_path

    cache = None if no_cache else TranslationCache(cache_path or default_cache_path())
    options: dict[str, Any] = {"device": device, "cache": cache, "threads": threads}
    if engine == "ctranslate2":
        options["compute_type"] = compute_type
    return get_translator(engine, model, **options)


# -- commands ------------------------------------------------------------------


@click.group(cls=NashraGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="nashra")
@click.option("-v", "--verbose", count=True, help="More output (-vv for debugging).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors.")
def cli(verbose: int, quiet: bool) -> None:
    """Nashra: Arabic news articles in, a bilingual Arabic/English briefing out.

    \b
    Example:
      nashra build examples/ -o briefing
    """
    configure_logging(verbose, quiet)


def _given(ctx: click.Context, name: str) -> bool:
    """Whether option ``name`` was given on the command line (or in its environment variable)."""
    from click.core import ParameterSource

    return ctx.get_parameter_source(name) not in (ParameterSource.DEFAULT, None)


def _setting(ctx: click.Context, name: str, value: Any, configured: Any) -> Any:
    """The command-line value when given, else the project's setting."""
    return value if _given(ctx, name) else configured


def _site_url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """--site-url checked as site.url is (an http(s) address), with a trailing slash."""
    if value is None:
        return None
    from .config import _url

    try:
        return _url(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@cli.command()
@project_options
@model_options
@summary_options
@click.option("--independent-summaries", is_flag=True,
              help="Rank the English translation on its own instead of translating the Arabic summary.")
@click.option("--strict", is_flag=True, help="Exit with status 1 when any input was skipped.")
@click.option("--site-url", callback=_site_url, default=None, metavar="URL",
              help="Address the site is published at (https://example.org/briefing/): feeds and sitemap.xml get"
                   " absolute links. Overrides site.url of nashra.toml.")
@click.pass_context
def build(ctx: click.Context, sources: tuple[Path, ...], output: Path, config_file: Path | None, jobs: int | None,
          model: str, engine: str, compute_type: str, device: str, cache_path: Path | None, no_cache: bool,
          threads: int | None, sentences: int, summarizer: str, summary_words: int | None,
          independent_summaries: bool, strict: bool, site_url: str | None) -> None:
    """Build the bilingual briefing site from article files and folders.

    SOURCES are files or folders of articles (.txt, .md, .xml, .json, .jsonl).
    Writes OUTPUT/docs (one Markdown file per article, story and language) and
    OUTPUT/site (static HTML: English at the root, Arabic under ar/). Inside a
    folder made by `nashra init`, SOURCES, OUTPUT and the other settings come
    from nashra.toml; options given on the command line override it.

    \b
    Example:
      nashra build examples/ -o briefing
      nashra build articles/ --model ./opus-mt-ar-en -o briefing
      cd my-briefing && nashra build
      nashra build articles/ -o briefing --site-url https://example.org/briefing/
    """
    report = run_build(ctx, sources, output, config_file, jobs, model, engine, compute_type, device, cache_path,
                       no_cache, threads, sentences, summarizer, summary_words, independent_summaries)
    if report.skipped and strict:
        sys.exit(1)


def run_build(ctx: click.Context, sources: tuple[Path, ...], output: Path, config_file: Path | None,
              jobs: int | None, model: str, engine: str, compute_type: str, device: str, cache_path: Path | None,
              no_cache: bool, threads: int | None, sentences: int, summarizer: str, summary_words: int | None,
              independent_summaries: bool) -> Any:
    """One build, as `build` and `serve` run it; prints the closing summary."""
    from .config import find_config, load_settings
    from .ingest import iter_files
    from .pipeline import build_briefing
    from .site.build import SiteOptions, load_user_mkdocs
    from .summarize import get_summarizer

    started = time.monotonic()
    config_path = config_file or find_config()
    if config_file is not None and not config_file.is_file():
        raise click.ClickException(f"{config_file}: no such settings file")
    settings = load_settings(config_path)
    if not sources:
        if config_path is None:
            raise click.UsageError("give the article files or folders to build, or run inside a folder made by `nashra init`")
        sources = tuple(settings.path(s) for s in settings.sources)
    output = _setting(ctx, "output", output, settings.path(settings.output) if config_path else output)
    model = _setting(ctx, "model", model, settings.model)
    if config_path and not _given(ctx, "model") and not Path(model).is_absolute():
        local = settings.path(model)
        model = str(local) if local.exists() else model
    engine = _setting(ctx, "engine", engine, settings.engine)
    compute_type = _setting(ctx, "compute_type", compute_type, settings.compute_type)
    sentences = _setting(ctx, "sentences", sentences, settings.sentences)
    summarizer = _setting(ctx, "summarizer", summarizer, settings.summarizer)
    site_url = ctx.params.get("site_url") or settings.site_url  # --site-url (build only) over site.url
    site = SiteOptions(name=settings.site_name, name_ar=settings.site_name_ar, description=settings.site_description,
                       description_ar=settings.site_description_ar, url=site_url, label_en=settings.label_en,
                       label_ar=settings.label_ar, jobs=jobs, outlets=settings.outlets)
    if settings.root is not None and (settings.root / "mkdocs.yml").is_file():
        site.mkdocs = load_user_mkdocs(settings.root / "mkdocs.yml")

    list(iter_files(sources))  # a missing source fails before the model loads
    translator = _translator(model, engine, device, cache_path, no_cache, threads, compute_type)
    chosen = get_summarizer(summarizer)
    report = build_briefing(sources, output, translator, chosen, site, sentences=sentences,
                            independent=independent_summaries, max_words=summary_words,
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
    click.echo(f"Site: {site_dir / 'index.html'}", err=True)
    click.echo(f"Markdown: {docs_dir}", err=True)
    if report.skipped:
        click.echo(f"Skipped {len(report.skipped)} input{'s' if len(report.skipped) != 1 else ''}:", err=True)
        for problem in report.skipped:
            click.echo(f"  {problem}", err=True)
    return report


def _flag_summary(report: Any, redecoded: int) -> str:
    """The closing summary's line on quality flags."""
    from .translate.flags import describe_counts

    again = f"; {redecoded} decoded again because the translation looped" if redecoded else ""
    if not report.flagged:
        return f"Flagged: no sentence of {report.sentences}{again}."
    return (f"Flagged: {report.flagged} of {report.sentences} sentences as doubtful "
            f"({describe_counts(report.flag_counts)}){again}.")


@cli.command()
@project_options
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, metavar="HOST:PORT",
              help="Address to serve the site on.")
@model_options
@summary_options
@click.option("--independent-summaries", is_flag=True, help="As for build.")
@click.pass_context
def serve(ctx: click.Context, sources: tuple[Path, ...], output: Path, config_file: Path | None, jobs: int | None,
          dev_addr: str, model: str, engine: str, compute_type: str, device: str, cache_path: Path | None,
          no_cache: bool, threads: int | None, sentences: int, summarizer: str, summary_words: int | None,
          independent_summaries: bool) -> None:
    """Build the briefing and serve it locally, rebuilding when articles or settings change.

    Like `mkdocs serve`: open the printed address in a browser; pages reload
    after each rebuild. Translations come from the cache, so a rebuild after
    editing one article translates only what changed. Stop with Ctrl-C.

    \b
    Example:
      nashra serve examples/
      cd my-briefing && nashra serve -a 127.0.0.1:8080
    """
    from .config import find_config
    from .site.devserver import DevServer

    host, _, port = dev_addr.rpartition(":")
    if not host or not port.isdigit():
        raise click.BadParameter("expected HOST:PORT, such as 127.0.0.1:8000", param_hint="--dev-addr")
    arguments = (sources, output, config_file, jobs, model, engine, compute_type, device, cache_path, no_cache,
                 threads, sentences, summarizer, summary_words, independent_summaries)
    report = run_build(ctx, *arguments)

    def rebuild() -> None:
        try:
            run_build(ctx, *arguments)
        except NashraError as exc:
            log.error("rebuild failed, still serving the previous site: %s", exc)

    assert report.site_dir is not None
    server = DevServer(builder=rebuild, host=host, port=int(port), root=str(report.site_dir))
    config_path = config_file or find_config()
    watched = list(report.sources)
    if config_path is not None:
        watched.append(config_path)
        if (config_path.parent / "mkdocs.yml").is_file():
            watched.append(config_path.parent / "mkdocs.yml")
    server.ignore(report.site_dir.parent)  # the output folder: its changes are the builds' own
    for path in watched:
        server.watch(str(Path(path).resolve()))
    click.echo(f"Serving on http://{host}:{port}/ (Ctrl-C to stop)", err=True)
    try:
        server.serve()
    except KeyboardInterrupt:
        click.echo("Stopped.", err=True)
    finally:
        server.shutdown()


def _site_name(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """A site name is one line of visible text: it goes into nashra.toml, mkdocs.yml and every page."""
    from .text.clean import single_line

    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise click.BadParameter("must be valid UTF-8 text") from None
    if not value.strip() or single_line(value) != value.strip() or len(value) > 200:
        raise click.BadParameter("must be one line of visible text, at most 200 characters (no line breaks, tabs,"
                                 " control or bidirectional formatting characters)")
    return value.strip()


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", default="Nashra briefing", show_default=True, callback=_site_name,
              help="The site's English name.")
@click.option("--name-ar", default="نشرة", show_default=True, callback=_site_name, help="The site's Arabic name.")
@click.option("--no-examples", is_flag=True, help="Leave articles/ empty instead of copying the example articles.")
@click.option("--ci", type=click.Choice(["github"]), default=None,
              help="Also write a daily CI workflow: github = .github/workflows/briefing.yml (fetch, build, deploy to"
                   " GitHub Pages). In an existing project, writes only the workflow.")
def init(directory: Path, name: str, name_ar: str, no_examples: bool, ci: str | None) -> None:
    """Create a briefing project: nashra.toml, mkdocs.yml and an articles/ folder.

    The project is yours to edit: nashra.toml holds the model, engine,
    summary, site and feed settings; mkdocs.yml the theme's look. Run
    `nashra build` inside the folder to build it. With --ci github, a GitHub
    Actions workflow fetches the feeds, builds and publishes the site daily.

    \b
    Example:
      nashra init my-briefing
      cd my-briefing && nashra build
      nashra init my-briefing --ci github
    """
    from .config import CONFIG_NAME, MKDOCS_TEMPLATE, TEMPLATE
    from .errors import ConfigError
    from .examples import copy_examples

    if ci and (directory / CONFIG_NAME).is_file():
        _write_workflow(directory)
        return
    existing = [n for n in (CONFIG_NAME, "mkdocs.yml") if (directory / n).exists()]
    if existing:
        raise ConfigError(f"{directory} already has {', '.join(existing)}; nothing was changed")
    (directory / "articles").mkdir(parents=True, exist_ok=True)

    def quote(text: str) -> str:
        return text.replace("\\", "\\\\").replace('"', '\\"')

    (directory / CONFIG_NAME).write_text(
        TEMPLATE.format(name=quote(name), name_ar=quote(name_ar), description="A bilingual briefing of the Arabic press"),
        encoding="utf-8")
    (directory / "mkdocs.yml").write_text(MKDOCS_TEMPLATE.format(name=json.dumps(name, ensure_ascii=False)), encoding="utf-8")
    _check_written(directory, name, name_ar)
    copied = [] if no_examples else copy_examples(directory / "articles")
    click.echo(f"Created {directory / CONFIG_NAME}, {directory / 'mkdocs.yml'} and {directory / 'articles'}"
               f"{f' with {len(copied)} example articles' if copied else ''}.", err=True)
    if ci:
        _write_workflow(directory)
    click.echo(f"Next: cd {directory} && nashra build", err=True)


def _check_written(directory: Path, name: str, name_ar: str) -> None:
    """Read back what `init` wrote: both files parse and hold the names given."""
    from . import safeyaml
    from .config import CONFIG_NAME, load_settings
    from .errors import ConfigError

    settings = load_settings(directory / CONFIG_NAME)
    mkdocs = safeyaml.load((directory / "mkdocs.yml").read_text(encoding="utf-8"), safeyaml.MkDocsLoader)
    if (settings.site_name, settings.site_name_ar, mkdocs.get("site_name")) != (name, name_ar, name):
        raise ConfigError(f"{directory}: the settings written do not read back as given; please report this")


def _write_workflow(directory: Path) -> None:
    """Write the GitHub Actions workflow of the project in ``directory`` (and a .gitignore if it has none)."""
    from .ci import GITIGNORE, WORKFLOW_PATH, github_workflow
    from .config import CONFIG_NAME, load_settings
    from .errors import ConfigError

    settings = load_settings(directory / CONFIG_NAME)
    workflow = directory / WORKFLOW_PATH
    if workflow.exists():
        raise ConfigError(f"{workflow} already exists; nothing was changed")
    workflow.parent.mkdir(parents=True, exist_ok=True)
    workflow.write_text(github_workflow(settings.sources[0], settings.output, settings.model, settings.engine),
                        encoding="utf-8")
    if not (directory / ".gitignore").exists():
        (directory / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    click.echo(f"Created {workflow}: add feeds to [fetch] in {CONFIG_NAME}, push to GitHub and choose"
               " GitHub Actions as the Pages source.", err=True)


@cli.command("fetch")
@click.argument("urls", nargs=-1, metavar="[URL]...")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder the articles are written to (default: the project's first source folder).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Project settings (default: nashra.toml in the current folder, if any).")
@click.option("--outlet", default=None, help="Outlet name for the articles of the URLs given (default: the site's name).")
@click.option("--days", type=click.IntRange(min=1), default=None,
              help="Leave out feed entries published more than this many days ago (default 2, or [fetch] days).")
@click.option("--max-per-feed", type=click.IntRange(min=1), default=None,
              help="At most this many of each feed's newest entries (default 50, or [fetch] max_per_feed).")
@click.option("--delay", type=click.FloatRange(min=0), default=None,
              help="Seconds between two requests to one site (default 1, or [fetch] delay).")
@click.option("--timeout", type=click.FloatRange(min=1), default=20.0, show_default=True,
              help="Seconds to wait for a site before giving up on it.")
@click.option("--strict", is_flag=True, help="Exit with status 1 when a page or feed failed.")
def fetch_command(urls: tuple[str, ...], output: Path | None, config_file: Path | None, outlet: str | None,
                  days: int | None, max_per_feed: int | None, delay: float | None, timeout: float,
                  strict: bool) -> None:
    """Fetch new articles from RSS/Atom feeds and article pages into Markdown files.

    URLs are feeds or article pages; without any, the feeds of nashra.toml's
    [fetch] section. Each new article (text, title, date, author, outlet)
    becomes one Markdown file that `nashra build` reads. Politely: robots.txt
    is obeyed, one request at a time per site with a delay, feeds are asked
    only for what changed, and a site that answers 429/503 is left alone until
    it says. A URL fetched before is not fetched again (the record is in
    OUTPUT/.nashra/fetch.sqlite3); a page that fails is one line, and the rest
    goes on.

    \b
    Example:
      cd my-briefing && nashra fetch && nashra build
      nashra fetch https://www.example-news.com/rss.xml -o articles
    """
    from .config import find_config, load_settings
    from .errors import MissingDependencyError

    try:
        import feedparser  # noqa: F401
        import trafilatura  # noqa: F401
    except ImportError as exc:
        raise MissingDependencyError(exc.name or "trafilatura", "fetch", "to fetch articles") from None
    from .fetch import FeedSource, FetchOptions, fetch

    if config_file is not None and not config_file.is_file():
        raise click.ClickException(f"{config_file}: no such settings file")
    config_path = config_file or find_config()
    settings = load_settings(config_path)
    if urls:
        sources = [FeedSource(url, outlet) for url in urls]
    elif settings.fetch_feeds:
        sources = [FeedSource(url, name) for url, name in settings.fetch_feeds]
    else:
        raise click.UsageError("give feed or page URLs, or list feeds under [fetch] in nashra.toml"
                               if config_path else "give feed or page URLs, or run inside a folder made by `nashra init`")
    folder = output or (settings.path(settings.sources[0]) if config_path else Path("articles"))
    options = FetchOptions(days=days or settings.fetch_days, max_per_feed=max_per_feed or settings.fetch_max_per_feed,
                           delay=settings.fetch_delay if delay is None else delay, timeout=timeout)
    report = fetch(sources, folder, options)
    counts = {state: len(report.having(state)) for state in ("saved", "seen", "skipped", "failed", "deferred")}
    unchanged = len(report.having("unchanged"))
    click.echo(f"Fetched {counts['saved']} new article{'s' if counts['saved'] != 1 else ''} into {folder}"
               f" ({report.requests} requests); {counts['seen']} seen before, {counts['skipped']} skipped,"
               f" {counts['failed']} failed, {counts['deferred']} deferred"
               f"{f', {report.not_taken} left for later (--max-per-feed)' if report.not_taken else ''}"
               f"{f', {unchanged} feeds unchanged' if unchanged else ''}.",
               err=True)
    for outcome in report.outcomes:
        if outcome.state in ("skipped", "failed", "deferred"):
            click.echo(f"  {outcome.line()}", err=True)
    if strict and counts["failed"]:
        sys.exit(1)


def _read_input(path: str) -> str:
    from .ingest import decode

    if path == "-":
        return decode(sys.stdin.buffer.read(), "<stdin>")
    file = Path(path)
    if not file.is_file():
        from .errors import InputError

        raise InputError(path, "no such file")
    return decode(file.read_bytes(), file)


@cli.command()
@click.argument("file", metavar="FILE|-")
@model_options
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text", show_default=True,
              help="text: the translation; jsonl: one {\"source\", \"translation\", \"flags\"} object per line.")
def translate(file: str, model: str, engine: str, compute_type: str, device: str, cache_path: Path | None,
              no_cache: bool, threads: int | None, fmt: str) -> None:
    """Translate Arabic text to English, one output line per input line.

    Each line is split into sentences, translated, and joined again; empty
    lines stay empty. Use - to read standard input. With --format jsonl, each
    line's object lists the quality flags of its sentences (such as
    "numbers: 27, 2023 missing").

    \b
    Example:
      nashra translate article.txt > article.en.txt
      echo "مرحبا بالعالم" | nashra translate -
      nashra translate article.txt --format jsonl --model tc-big
    """
    from .text.segment import split_sentences

    lines = _read_input(file).splitlines()
    split = [split_sentences(line) for line in lines]
    flat = [s for sentences in split for s in sentences]
    translated = _translator(model, engine, device, cache_path, no_cache, threads, compute_type).translate(
        flat, progress=functools.partial(progress_bar, label="Translating")) if flat else []
    position = 0
    out = sys.stdout
    for line, sentences in zip(lines, split, strict=True):
        english = translated[position : position + len(sentences)]
        position += len(sentences)
        if fmt == "jsonl":
            from .translate.flags import check

            flags = [reason for source, text in zip(sentences, english, strict=True) for reason in check(source, text)]
            out.write(json.dumps({"source": line, "translation": " ".join(english), "flags": flags},
                                 ensure_ascii=False) + "\n")
        else:
            out.write(" ".join(english) + "\n")


@cli.command()
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("reference", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@model_options
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: a short report; json: the figures as one object.")
def evaluate(source: Path, reference: Path, model: str, engine: str, compute_type: str, device: str,
             cache_path: Path | None, no_cache: bool, threads: int | None, fmt: str) -> None:
    """Score a model on a reference test set: BLEU, chrF and how often each quality flag fires.

    SOURCE holds Arabic sentences and REFERENCE their human translations,
    one sentence per line, aligned (FLORES-200 devtest, NTREX-128, TICO-19
    or your own articles). Needs sacrebleu: pip install 'nashra[evaluate]'.

    \b
    Example:
      nashra evaluate devtest.arb_Arab devtest.eng_Latn --model tc-big
      nashra evaluate ours.ar ours.en --engine ctranslate2 --format json
    """
    from .ingest import decode
    from .translate.evaluate import evaluate as run_evaluation
    from .translate.evaluate import format_evaluation, read_parallel

    sources, references = read_parallel(decode(source.read_bytes(), source), decode(reference.read_bytes(), reference),
                                        str(source), str(reference))
    translator = _translator(model, engine, device, cache_path, no_cache, threads, compute_type)
    result = run_evaluation(translator, sources, references,
                            progress=functools.partial(progress_bar, label="Translating"))
    if fmt == "json":
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(format_evaluation(result))


@cli.command()
@click.argument("file", metavar="FILE|-")
@click.option("--lang", type=click.Choice(["ar", "en"]), default="ar", show_default=True, help="Language of the text.")
@summary_options
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: one sentence per line; json: {\"sentences\": [{\"index\", \"text\"}]}.")
def summarize(file: str, lang: str, sentences: int, summarizer: str, summary_words: int | None, fmt: str) -> None:
    """Print the key sentences of an article, in document order.

    FILE is plain text (one paragraph per line), or an article in any input
    format Nashra reads. Indices count from 0 over the segmented sentences.

    \b
    Example:
      nashra summarize examples/000_b82a5ffee5f3a278.txt --sentences 2 --format json
    """
    from .summarize import get_summarizer
    from .text.segment import segment_paragraphs

    title = None
    if file != "-" and Path(file).suffix.lower() in (".md", ".markdown", ".xml", ".trec", ".json", ".jsonl") or (
        file != "-" and Path(file).is_file() and _read_input(file).lstrip().startswith("<DOC>")
    ):
        from .errors import InputError
        from .ingest import read_file

        first = next(iter(read_file(Path(file))), None)
        if first is None:
            raise InputError(file, "no article found")
        if isinstance(first, InputError):
            raise first
        paragraphs, title = list(first.paragraphs), first.title
    else:
        paragraphs = _read_input(file).splitlines()
    segmented = segment_paragraphs(paragraphs)
    from .ingest import MAX_ARTICLE_SENTENCES

    if len(segmented) > MAX_ARTICLE_SENTENCES:
        from .errors import InputError

        raise InputError(file, f"{len(segmented):,} sentences; the limit is {MAX_ARTICLE_SENTENCES:,}")
    texts = [s.text for s in segmented]
    headings = {i for i, s in enumerate(segmented) if s.heading}
    picked = get_summarizer(summarizer).summarize(texts, sentences, lang, title=title, exclude=headings,
                                                  max_words=summary_words)
    if fmt == "json":
        payload = {"sentences": [{"index": i, "text": texts[i]} for i in picked]}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        for i in picked:
            click.echo(texts[i])


@cli.command("convert-model")
@click.argument("model", metavar="MODEL")
@click.argument("output", type=click.Path(file_okay=False, path_type=Path))
@click.option("--quantization", default="int8", show_default=True, type=click.Choice(COMPUTE_TYPES),
              help="Precision of the converted weights.")
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
def convert_model(model: str, output: Path, quantization: str, force: bool) -> None:
    """Convert a MarianMT model to CTranslate2 for --engine ctranslate2.

    MODEL is a Hugging Face model id or a local MarianMT folder. The tokenizer
    and generation settings are copied along, so OUTPUT works with --model.

    \b
    Example:
      nashra convert-model Helsinki-NLP/opus-mt-ar-en opus-mt-ar-en-ct2
      nashra build examples --engine ctranslate2 --model opus-mt-ar-en-ct2
    """
    from .translate.ct2 import convert_model as convert

    folder = convert(model, output, quantization=quantization, force=force)
    size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
    click.echo(f"Converted {model} to {folder} ({quantization}, {size / 1e6:.1f} MB).", err=True)


def main() -> None:
    cli(prog_name="nashra")


if __name__ == "__main__":  # pragma: no cover
    main()
