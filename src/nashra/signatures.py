"""Stage signatures: what a stage's output depends on, as one small typed object each; and the list
of every reuse key a build keeps.

Like sacrebleu's signature, a signature's string is the key a rebuild
compares to decide whether a stage's stored output may be reused, and it is
also the provenance the build records: the article pages show the strings (and
the Markdown export's front matter holds them in full) beside the fields. A rebuild reuses an
article's translation when the :class:`TranslationSignature` is unchanged,
and its summary when the :class:`~nashra.summarize.options.SummarySignature` is unchanged too; an
article's Markdown pages, and a page's HTML, when their :class:`PageSignature`
(with the page's own content) is unchanged.

Every reuse key a build keeps, what it is made of, and so what makes the work it guards be done again:

=========================================  ==============================================================
key (where it is made)                     made of: a change to any of these redoes the work
=========================================  ==============================================================
input file stamp                           a file's size, times, inode and device, and the digest of the
(``ingest.files.file_stamp``)              reading code (``ingest/``, ``text/``): the file is read again
article fingerprint                        the article as read: it is translated again (the translation
(``state.records.fingerprint``)            cache still serves sentences it has seen)
:class:`TranslationSignature`              engine, model, its revision and generation settings, the loop
(records' ``namespace``; the cache's)      guard: every article is translated again
``SummarySignature``                       summarizer and its parameters (the ranker file's version),
(``summarize.options``; ``summary_key``)   sentences, independent, words, the quality checks' signature
                                           (``quality.signature``): every article is summarized again
``stories.terms.MATCH_VERSION``            the matching terms in a digest: digests are made again
grouping signature                         ``GROUPING_VERSION``, sentences, threshold, window: every story
(``stories.stage.group_stories``)          is grouped again (else from the last checkpoint on)
article page key                           the record, its story and :func:`site.render.pages_signature`
(``site.render.article_page_key``)         (code, outlets' names, provenance); ``page_stale`` marks a
                                           change to either between builds
story page key, listing page key           the page's content and the page code's signature
(``site.render.story_page_key``,
``listing_key``)
HTML :class:`PageSignature`                the hooks MkDocs runs, the renderers' versions, the written
(``site.pagebuild.site_signature``)        ``mkdocs.yml``, with each page's Markdown digest
docs file stamp (``state.pages``)          a published docs file's device, inode, size and time: its
                                           digest is read again
search part and sitemap month digests      their pages' digests under the site signature
(``state.pages``)
compact cutoff (``site.build``)            the size budget (``Budget.key``): the cutoff is chosen again
=========================================  ==============================================================
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from typing import TYPE_CHECKING

from . import __version__
from .document import Provenance
from .summarize.options import SummarySignature

if TYPE_CHECKING:
    from .translate import Translator


@dataclass(frozen=True)
class TranslationSignature:
    """The translation stage: engine, model, and the engine's digest of the model's revision and
    generation settings (computed without loading the weights)."""

    engine: str
    model: str
    #: The engine's digest of model, revision and generation settings (also the translation cache's namespace).
    settings: str
    licence: str | None = None

    @classmethod
    def of(cls, translator: Translator) -> TranslationSignature:
        return cls(translator.engine, translator.model_id, translator.namespace, translator.licence)

    def __str__(self) -> str:
        return self.settings


@dataclass(frozen=True)
class PageSignature:
    """A page stage (an article's Markdown pages, or the HTML MkDocs renders): what every page
    depends on besides its own content. A page is reused when this and its content are unchanged."""

    #: Digest of the code (templates and rendering code) the pages are made by.
    code: str
    #: Versions of the packages that render them: ``name=version;`` each (``?``: not installed).
    renderers: str
    #: Digest of the configuration they are made under.
    config: str

    @classmethod
    def of(cls, code: Iterable[bytes], renderers: Iterable[str], config: bytes) -> PageSignature:
        digest = hashlib.sha256()
        for source in code:
            digest.update(hashlib.sha256(source).digest())
        return cls(digest.hexdigest(), "".join(f"{name}={_version(name)};" for name in renderers),
                   hashlib.sha256(config).hexdigest())

    def key(self, content: str = "") -> str:
        """The reuse key of a page made from ``content`` (what only that page depends on)."""
        return hashlib.sha256(f"{self}\n{content}".encode("utf-8")).hexdigest()

    def __str__(self) -> str:
        return f"code={self.code}|renderers={self.renderers}|config={self.config}"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"


def provenance(translation: TranslationSignature, summary: SummarySignature) -> Provenance:
    """What the pages say an article's translation and summary were made with: the signatures'
    fields, and their strings (the very keys that decide reuse)."""
    return Provenance(model=translation.model, engine=translation.engine, summarizer=summary.summarizer,
                      nashra_version=__version__, licence=translation.licence,
                      translation_signature=str(translation), summary_signature=str(summary))
