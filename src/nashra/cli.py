"""The ``nashra`` command line: parses options, resolves the settings, calls a command.

Each command's work is a plain function in :mod:`nashra.commands`, called with
the :class:`~nashra.config.Settings` that :func:`nashra.config.resolve` makes
of ``nashra.toml`` and the options given here (option > environment variable >
nashra.toml > default). Heavy modules (torch, transformers, MkDocs) are
imported inside the commands so that ``nashra --help`` stays fast. Library
errors (:class:`NashraError`) become a one-line message and a non-zero exit
code here, and only here.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .config import declared, find_config, resolve
from .errors import NashraError
from .text.clean import single_line
from .translate import COMPUTE_TYPES

F = TypeVar("F", bound=Callable[..., Any])


class NashraGroup(click.Group):
    """Turns Nashra's errors into ``Error: ...`` and exit code 1, without a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NashraError as exc:
            raise click.ClickException(str(exc)) from None
        except BrokenPipeError:  # `nashra translate ... | head -1`: the reader stopped on purpose
            _quiet_stdout()
            ctx.exit(1)
        except OSError as exc:  # a file or folder the command could not read or write
            where = f"{exc.filename}: " if exc.filename is not None else ""
            raise click.ClickException(f"{where}{exc.strerror or exc}") from None
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)


def _quiet_stdout() -> None:
    """Point standard output at /dev/null, so that Python's last flush of it finds no closed pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (a test's capture): nothing to flush
        pass


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
    # urllib3 logs a malformed header with its traceback; the fetch gives the page's own line.
    logging.getLogger("urllib3.connection").setLevel(logging.DEBUG if verbose > 1 else max(level, logging.ERROR))


# -- shared options ------------------------------------------------------------
# The options that set a setting are made from its declaration (nashra.options): its names, help,
# environment variable and check; a value given wins over nashra.toml and is checked as the file's are.


def _declared() -> dict[str, Any]:
    """Every declared setting by its key in nashra.toml (``summary.sentences``)."""
    return {entry.key: entry for entry in declared()}


_KINDS: dict[Any, Any] = {int: click.INT, float: click.FLOAT, str: click.STRING,
                          "folder": click.Path(file_okay=False, path_type=Path),
                          "file": click.Path(dir_okay=False, path_type=Path)}


def _plain(text: str) -> str:
    return text.replace("`", "")


def _shown(value: Any) -> str:
    """A default as the help shows it: a name bare, a flag as in nashra.toml."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) and value else json.dumps(value, ensure_ascii=False)


def setting_options(*keys: str) -> Callable[[F], F]:
    """The command-line options of the settings ``keys`` (``"summary.*"``: all of a section), in that order."""
    declared = _declared()
    chosen = [entry for key in keys for entry in declared.values()
              if entry.key == key or (key.endswith(".*") and entry.section == key[:-2])]
    unknown = [key for key in keys if key not in declared and not key.endswith(".*")]
    if unknown:
        raise ValueError(f"no setting {', '.join(unknown)} (known: {', '.join(declared)})")

    def decorate(func: F) -> F:
        for entry in reversed(chosen):
            d = entry.declared
            if d.argument:
                func = click.argument(entry.param, nargs=-1, type=click.Path(path_type=Path))(func)
                continue
            if not d.option:
                continue
            default = d.shown if d.shown is not None else _shown(entry.default)
            tail = (f" Env: {d.envvar}." if d.envvar else "") + f" Setting: {entry.key}. [default: {_plain(default)}]"
            if d.off and entry.kind is not bool:
                func = click.option(d.off, f"{entry.param}__off", is_flag=True, default=None,
                                    help=f"{d.off_help} Setting: {entry.key} = false.")(func)
            if entry.kind is bool:
                func = click.option(f"{d.option[-1]}/{d.off}", entry.param, default=None, help=d.help + tail)(func)
            else:
                func = click.option(*d.option, entry.param, type=_KINDS[entry.kind], default=None, envvar=d.envvar,
                                    metavar=d.metavar, help=d.help + tail)(func)
        return func

    return decorate


def config_option(func: F) -> F:
    return click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
                        help="Project settings (default: nashra.toml in the current folder, if any).")(func)


def _verbosity(ctx: click.Context, param: click.Parameter, value: Any) -> None:
    """-v and -q given after the command (``nashra build -v``) count as they do before it (and add up:
    ``nashra -v build -v`` is ``-vv``)."""
    if value:
        meta = ctx.find_root().meta
        key = f"nashra.{param.name}"
        meta[key] = meta.get(key, 0) + value if param.name == "verbose" else value
        configure_logging(meta.get("nashra.verbose", 0), meta.get("nashra.quiet", False))


def verbosity_options(func: F) -> F:
    func = click.option("-q", "--quiet", is_flag=True, expose_value=False, callback=_verbosity,
                        help="Only errors.")(func)
    return click.option("-v", "--verbose", count=True, expose_value=False, callback=_verbosity,
                        help="More output (-vv for debugging).")(func)


def model_options(func: F) -> F:
    return config_option(setting_options("translation.*")(func))


def project_options(func: F) -> F:
    """SOURCES, --output and --jobs, shared by build and serve."""
    return setting_options("sources", "output", "jobs")(func)


def _overrides(ctx: click.Context) -> tuple[dict[str, Any], dict[str, str]]:
    """The settings the options of this command line (and their environment variables) give, and how each was
    given (``-n/--sentences``, ``NASHRA_JOBS``), for its error message."""
    from click.core import ParameterSource

    overrides: dict[str, Any] = {}
    given_as: dict[str, str] = {}
    by_param = {entry.param: entry.key for entry in _declared().values()}
    params = {param.name: param for param in ctx.command.params}
    for name, value in ctx.params.items():
        if name.endswith("__off"):
            continue
        key = by_param.get(name)
        if key is None or value is None or value == ():
            continue
        if isinstance(value, tuple):
            value = [str(v) for v in value]
        overrides[key] = str(value) if isinstance(value, Path) else value
        param = params[name]
        if ctx.get_parameter_source(name) is ParameterSource.ENVIRONMENT and isinstance(param.envvar, str):
            given_as[key] = param.envvar
        else:
            given_as[key] = "/".join(param.opts) if isinstance(param, click.Option) else param.human_readable_name
    for name, value in ctx.params.items():  # --no-cache wins over --cache
        if name.endswith("__off") and value:
            overrides[by_param[name[:-len("__off")]]] = False
    return overrides, given_as


def _resolve(ctx: click.Context, config_file: Path | None) -> tuple[Any, Path | None, Callable[[], Any]]:
    """The settings of this command line: its options over nashra.toml (``--config``, or the current folder's).

    Returns the settings, the file they came from (or None) and a function resolving them again.
    """
    path = config_file or find_config()
    overrides, given_as = _overrides(ctx)

    def again() -> Any:
        return resolve(path, overrides, given_as)

    return again(), path, again


# -- commands ------------------------------------------------------------------


@click.group(cls=NashraGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="nashra")
@click.option("-v", "--verbose", count=True, help="More output (-vv for debugging).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors.")
@click.pass_context
def cli(ctx: click.Context, verbose: int, quiet: bool) -> None:
    """Nashra: Arabic news articles in, a bilingual Arabic/English briefing out.

    Every option naming a setting can be set in nashra.toml instead; an
    option given wins over its environment variable, which wins over the
    file (see docs/configuration.md).

    \b
    Example:
      nashra build examples/ -o briefing
    """
    ctx.meta["nashra.verbose"], ctx.meta["nashra.quiet"] = verbose, quiet
    configure_logging(verbose, quiet)


@cli.command()
@project_options
@model_options
@setting_options("summary.*", "strict", "site.url")
@verbosity_options
@click.pass_context
def build(ctx: click.Context, config_file: Path | None, **options: Any) -> None:
    """Build the bilingual briefing site from article files and folders.

    SOURCES are files or folders of articles (.txt, .md, .markdown, .xml, .trec, .json, .jsonl).
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
    from .commands.build import build as run_build

    settings, path, _ = _resolve(ctx, config_file)
    if not options["sources"] and path is None:
        raise click.UsageError("give the article files or folders to build, or run inside a folder made by `nashra init`")
    report = run_build(settings)
    if report.skipped and settings.strict:
        sys.exit(1)


@cli.command()
@project_options
@setting_options("serve.dev_addr")
@model_options
@setting_options("summary.*", "site.url")
@verbosity_options
@click.pass_context
def serve(ctx: click.Context, config_file: Path | None, **options: Any) -> None:
    """Build the briefing and serve it locally, rebuilding when articles or settings change.

    Like `mkdocs serve`: open the printed address in a browser; pages reload
    after each rebuild. Translations come from the cache, so a rebuild after
    editing one article translates only what changed. Stop with Ctrl-C.

    \b
    Example:
      nashra serve examples/
      cd my-briefing && nashra serve -a 127.0.0.1:8080
    """
    from .commands.build import serve as run_serve

    settings, path, again = _resolve(ctx, config_file)
    if not options["sources"] and path is None:
        raise click.UsageError("give the article files or folders to build, or run inside a folder made by `nashra init`")
    run_serve(settings, again, path)


def _site_name(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """A site name is one line of visible text: it goes into nashra.toml, mkdocs.yml and every page."""
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
@verbosity_options
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
    from .commands.init import init as run_init

    run_init(directory, name, name_ar, no_examples, ci)


@cli.command("fetch")
@click.argument("urls", nargs=-1, metavar="[URL]...")
@click.option("-o", "--output", "folder", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder the articles are written to (default: the project's first source folder).")
@config_option
@click.option("--outlet", default=None, help="Outlet name for the articles of the URLs given (default: the site's name).")
@setting_options("fetch.*", "strict")
@verbosity_options
@click.pass_context
def fetch_command(ctx: click.Context, urls: tuple[str, ...], folder: Path | None, config_file: Path | None,
                  outlet: str | None, **options: Any) -> None:
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
    from .commands.fetch import fetch

    settings, path, _ = _resolve(ctx, config_file)
    if not urls and not settings.fetch.feeds:
        raise click.UsageError("give feed or page URLs, or list feeds under [fetch] in nashra.toml"
                               if path else "give feed or page URLs, or run inside a folder made by `nashra init`")
    report = fetch(settings, list(urls), folder, outlet)
    if settings.strict and report.having("failed"):
        sys.exit(1)


@cli.command()
@click.argument("file", metavar="FILE|-")
@model_options
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text", show_default=True,
              help="text: the translation; jsonl: one {\"source\", \"translation\", \"flags\"} object per line.")
@verbosity_options
@click.pass_context
def translate(ctx: click.Context, file: str, config_file: Path | None, fmt: str, **options: Any) -> None:
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
    from .commands.translate import translate as run_translate

    run_translate(_resolve(ctx, config_file)[0], file, fmt)


@cli.command("translate-archive")
@setting_options("sources")
@model_options
@click.option("--cluster", default="auto", show_default=True, metavar="ADDRESS|auto|local",
              help="The Ray cluster: auto joins this machine's cluster (else starts a local Ray instance on its"
                   " CPUs), local always starts one, an address (ray://host:10001, host:6379) joins that cluster.")
@click.option("--actors", type=click.IntRange(min=1), default=None,
              help="Translating actors, each loading the model once (default: one per GPU, else one per"
                   " --cpus-per-actor CPUs of the cluster).")
@click.option("--cpus-per-actor", type=click.FloatRange(min=0.5), default=1.0, show_default=True,
              help="CPUs reserved by each actor (its translation threads).")
@click.option("--shared-model", is_flag=True,
              help="A local --model folder is at the same path on every node (a shared disk): not shipped.")
@click.option("--batch-size", type=click.IntRange(min=1), default=None,
              help="Sentences per batch sent to an actor (default 64).")
@verbosity_options
@click.pass_context
def translate_archive(ctx: click.Context, config_file: Path | None, cluster: str,
                      actors: int | None, cpus_per_actor: float, shared_model: bool, batch_size: int | None,
                      **options: Any) -> None:
    """Translate an archive on a Ray cluster into the translation cache.

    Reads and segments SOURCES as `nashra build` does, leaves out every title
    and sentence the translation cache already holds, and translates the rest
    with Ray Data (one actor per worker slot, each loading the model once),
    writing each finished batch into the cache: a following `nashra build` of
    the same sources, model and cache translates nothing. Stopped and started
    again, it redoes only what the cache lacks. Needs pip install 'nashra[ray]'.

    \b
    Example:
      nashra translate-archive archive/ --cache translations.sqlite3
      ray job submit -- nashra translate-archive /data/archive --cluster auto --cache /data/t.sqlite3
      nashra translate-archive archive/ --cluster local --actors 2 --cpus-per-actor 1
    """
    from .commands.translate import translate_archive as run_archive

    settings, path, _ = _resolve(ctx, config_file)
    if not options["sources"] and path is None:
        raise click.UsageError("give the article files or folders to translate, or run inside a folder made by"
                               " `nashra init`")
    run_archive(settings, cluster, actors, cpus_per_actor, shared_model, batch_size)


@cli.command()
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("reference", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@model_options
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: a short report; json: the figures as one object.")
@verbosity_options
@click.pass_context
def evaluate(ctx: click.Context, source: Path, reference: Path, config_file: Path | None, fmt: str,
             **options: Any) -> None:
    """Score a model on a reference test set: BLEU, chrF and how often each quality flag fires.

    SOURCE holds Arabic sentences and REFERENCE their human translations,
    one sentence per line, aligned (FLORES-200 devtest, NTREX-128, TICO-19
    or your own articles). Needs sacrebleu: pip install 'nashra[evaluate]'.

    \b
    Example:
      nashra evaluate devtest.arb_Arab devtest.eng_Latn --model tc-big
      nashra evaluate ours.ar ours.en --engine ctranslate2 --format json
    """
    from .commands.translate import evaluate as run_evaluate

    run_evaluate(_resolve(ctx, config_file)[0], source, reference, fmt)


@cli.command()
@click.argument("file", metavar="FILE|-")
@click.option("--lang", type=click.Choice(["ar", "en"]), default="ar", show_default=True, help="Language of the text.")
@setting_options("summary.sentences", "summary.summarizer", "summary.words")
@config_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: one sentence per line; json: {\"sentences\": [{\"index\", \"text\"}]}.")
@verbosity_options
@click.pass_context
def summarize(ctx: click.Context, file: str, lang: str, config_file: Path | None, fmt: str, **options: Any) -> None:
    """Print the key sentences of an article, in document order.

    FILE is plain text (one paragraph per line), or an article in any input
    format Nashra reads. Indices count from 0 over the segmented sentences.

    \b
    Example:
      nashra summarize examples/000_b82a5ffee5f3a278.txt --sentences 2 --format json
    """
    from .commands.summarize import summarize as run_summarize

    run_summarize(_resolve(ctx, config_file)[0], file, lang, fmt)


@cli.command("convert-model")
@click.argument("model", metavar="MODEL")
@click.argument("output", type=click.Path(file_okay=False, path_type=Path))
@click.option("--quantization", default="int8", show_default=True, type=click.Choice(COMPUTE_TYPES),
              help="Precision of the converted weights.")
@click.option("--force", is_flag=True, help="Replace OUTPUT if it holds an earlier conversion.")
@verbosity_options
def convert_model(model: str, output: Path, quantization: str, force: bool) -> None:
    """Convert a MarianMT model to CTranslate2 for --engine ctranslate2.

    MODEL is a Hugging Face model id or a local MarianMT folder. The tokenizer
    and generation settings are copied along, so OUTPUT works with --model.

    \b
    Example:
      nashra convert-model Helsinki-NLP/opus-mt-ar-en opus-mt-ar-en-ct2
      nashra build examples --engine ctranslate2 --model opus-mt-ar-en-ct2
    """
    from .commands.translate import convert_model as convert

    convert(model, output, quantization, force)


def main() -> None:
    cli(prog_name="nashra")


if __name__ == "__main__":  # pragma: no cover
    main()
