"""Markdown pages of the briefing: one per article and language, and a home page per language.

These files are the MkDocs ``docs`` folder and also Nashra's per-article
Markdown export: YAML front matter with the article's metadata and provenance,
then the summary, then the full text aligned sentence by sentence.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Iterator, Sequence
from datetime import datetime
from importlib import resources
from typing import TYPE_CHECKING

from ..document import ArticleDigest, BriefingArticle, Provenance
from ..quality import KINDS
from ..signatures import PageSignature
from ..stories.story import Story
from ..translate.models import licence_url
from .archive import (LATEST_PER_SOURCE, Listing, archive_index_docs, day_listings, outlet_listings,
                      render_sources, summary_in)
from .bidi import bdi_markdown, bdi_text
from .escape import LISTING, escape_html, escape_markdown, front_matter, link_html
from .labels import DIRECTIONS, LABELS, LANGUAGES, format_date, label
from .langmark import mark_html, mark_markdown
from .outlets import names_fingerprint, outlet_name, outlet_slug
from .plural import count_phrase
from .provenance import signature_strings, signatures_html
from .urls import (ARCHIVE_INDEX, HOME, article_address, article_page, compact_cutoff, docs_file, html_name, link,
                   link_to, outlet_page, relative, story_address, story_page)

if TYPE_CHECKING:
    from ..state.records import Record
    from .inputs import Archive


def outlet_html(source: str | None, lang: str, here: str) -> str:
    """An article's outlet, isolated, linked from page ``here`` to the outlet's page ('Unknown source' without one)."""
    name = outlet_name(source, lang)
    if source is None or name is None:
        return escape_html(label(lang, "unknown_source"))
    return f'<a href="{relative(here, html_name(outlet_page(outlet_slug(source))))}">{bdi_text(name, whole=True)}</a>'


def date_html(value: datetime | None, lang: str) -> str:
    """A date, isolated so that its day stays beside its month in a line of the other direction."""
    return bdi_text(format_date(value, lang), whole=True) if value else escape_html(format_date(value, lang))


def article_path(article_id: str, lang: str) -> str:
    """Path of an article page inside the docs folder (suffix i18n layout)."""
    return docs_file(article_page(article_id), lang)


def article_meta(item: BriefingArticle, lang: str, page_signature: PageSignature | None = None) -> dict[str, object]:
    article = item.article
    provenance = item.provenance
    return {
        "title": item.title_in(lang),
        "original_title": article.title,
        "title_translation": item.translated.title_translation,
        "title_derived": article.title_derived,
        "id": article.id,
        "source": article.source,
        "url": article.url,
        "date": article.date.isoformat() if article.date else None,
        **{f"{name}_inferred": True for name in article.inferred},
        **({"date_hijri": article.date_hijri} if article.date_hijri else {}),
        "language": lang,
        "original_language": article.language,
        "model": provenance.model,
        "engine": provenance.engine,
        "summarizer": provenance.summarizer,
        "nashra_version": provenance.nashra_version,
        **signature_strings(provenance, str(page_signature) if page_signature else None),
        "summary_sentences": list(item.summary_ar if lang == "ar" else item.summary_en),
        "sentence_count": len(item.translated.sentences),
        **flag_meta(item),
    }


def flag_meta(item: BriefingArticle) -> dict[str, object]:
    """Front matter of the quality flags: the model's licence, how many sentences are flagged, and by what."""
    counts = item.translated.flag_kinds
    return {"model_licence": item.provenance.licence, "flagged_sentences": len(item.translated.flagged),
            "flags": {k: counts[k] for k in KINDS if counts.get(k)}}


def flag_marker(reasons: Sequence[str], lang: str) -> str:
    """A discreet mark on a flagged sentence: the reasons on hover (title), on tap or focus, and to screen readers."""
    if not reasons:
        return ""
    name, why = escape_html(label(lang, "flag_label")), escape_html("; ".join(reasons))
    # The mark sits in both columns: it says the page's language (and, for the reason, its direction),
    # so that a screen reader reads it in that voice. The reasons are English: isolated, so that an
    # Arabic page keeps their order, and the Arabic words they quote are marked as Arabic.
    return (f' <span class="nashra-flag" tabindex="0" title="{name}: {why}" lang="{lang}"><span aria-hidden="true">⚠</span>'
            f'<span class="nashra-flag-reason" dir="{DIRECTIONS[lang]}">{name}: <bdi lang="en" dir="ltr">'
            f'{mark_html("; ".join(reasons), "en")}</bdi></span></span>')


def flag_count_html(item: BriefingArticle, lang: str) -> str:
    """The article's count of flagged sentences ('' when none)."""
    count = len(item.translated.flagged)
    if not count:
        return ""
    return f'<p class="nashra-flag-count">⚠ {escape_html(label(lang, "flagged_count", sentences=count_phrase(count, "sentence", lang)))}</p>\n'


def licence_text(provenance: Provenance, lang: str) -> str:
    """The model and its licence, for the machine-translation notice (HTML: escaped, and on an Arabic
    page the licence's Latin name marked as English)."""
    if provenance.licence:
        url = licence_url(provenance.licence)
        return mark_html(label(lang, "model_licence", licence=provenance.licence, link=f" ({url})" if url else ""), lang)
    return escape_html(label(lang, "model_licence_unknown"))


def _meta_line(item: BriefingArticle, lang: str) -> str:
    article = item.article
    parts = [
        f'<span class="nashra-source">{outlet_html(article.source, lang, article_page(article.id))}</span>',
        f'<span class="nashra-date">{date_html(article.date, lang)}</span>',
    ]
    link = link_html(article.url, label(lang, "original_link"))
    if link:
        parts.append(f'<span class="nashra-original">{link}</span>')
    return '<p class="nashra-meta">' + " · ".join(parts) + "</p>"


def _notice(item: BriefingArticle | ArticleDigest, lang: str, signatures: str = "") -> str:
    """The notice with the provenance line; ``signatures``: the stages' signatures, as HTML, after it."""
    provenance = item.provenance
    # Model paths, engine names and versions are Latin: each is isolated left-to-right, so that the
    # Arabic line keeps its order and a path keeps its slashes where they belong.
    # On an Arabic page they also say they are English, so that a screen reader switches voice.
    latin = None if lang == "en" else "en"
    credit = escape_html(LABELS[lang]["provenance"]).format(
        model=bdi_text(provenance.model, "ltr", lang=latin),
        engine=bdi_text(provenance.engine, "ltr", lang=latin),
        summarizer=bdi_text(provenance.summarizer, "ltr", lang=latin),
        version=bdi_text(provenance.nashra_version, "ltr", lang=latin),
    )
    return notice_html(lang, f"{credit} {licence_text(provenance, lang)}", signatures)


def notice_html(lang: str, credit: str | None = None, signatures: str = "") -> str:
    """The machine-translation notice (an admonition written as HTML, kept out of search).

    ``credit``: the provenance line, as HTML; ``signatures``: what follows it (HTML).
    """
    provenance = f'<span class="nashra-provenance">{credit}</span>' if credit else ""
    return (
        '<div class="admonition warning nashra-notice" data-search-exclude>'
        f'<p class="admonition-title">{escape_html(label(lang, "machine_title"))}</p>'
        f"<p>{escape_html(label(lang, 'machine_notice'))}{provenance}</p>{signatures}</div>\n"
    )


def _aligned_table(item: BriefingArticle, lang: str) -> str:
    """Original and translation side by side, one row per sentence (raw HTML, all text escaped)."""
    order = ["en", "ar"] if lang == "en" else ["ar", "en"]
    heads = {"ar": label(lang, "original"), "en": label(lang, "translation")}
    # The full text stays out of the search index (titles and summaries are in it), so the
    # index grows with the number of articles, not with their length.
    lines = ['<table class="nashra-aligned" data-search-exclude>', "<thead><tr>"]
    # A column's head is worded in the page's language, not the column's: it says so.
    head_html = {c: escape_html(heads[c]) if c == lang else f'<span lang="{lang}">{escape_html(heads[c])}</span>'
                 for c in order}
    lines += [f'<th lang="{c}" dir="{DIRECTIONS[c]}">{head_html[c]}</th>' for c in order]
    lines += ["</tr></thead>", "<tbody>"]
    picked = set(item.summary_ar if lang == "ar" else item.summary_en)
    previous_paragraph = None
    flags = item.translated.sentence_flags
    for index, (sentence, translation) in enumerate(zip(item.translated.sentences, item.translated.translations, strict=True)):
        classes = ["nashra-flagged"] if flags[index] else []
        if sentence.heading:
            classes.append("nashra-heading")
        if sentence.paragraph != previous_paragraph and index > 0:
            classes.append("nashra-paragraph")
        if index in picked:
            classes.append("nashra-picked")
        previous_paragraph = sentence.paragraph
        cells = {"ar": sentence.text, "en": translation}
        class_attr = f' class="{" ".join(classes)}"' if classes else ""
        marker = flag_marker(flags[index], lang)
        row = "".join(f'<td lang="{c}" dir="{DIRECTIONS[c]}">{mark_html(cells[c], c)}{marker}</td>' for c in order)
        lines.append(f'<tr id="s{index + 1}" data-sentence="{index}"{class_attr}>{row}</tr>')
    lines += ["</tbody>", "</table>"]
    return "\n".join(lines)


def render_article(item: BriefingArticle, lang: str, story: Story | None = None,
                   page_signature: PageSignature | None = None) -> str:
    """The Markdown page of one article in ``lang`` ('en' or 'ar').

    Its front matter and provenance footer hold the translation's and summary's signatures and
    ``page_signature``, the signature its page key is made under (see :func:`article_docs`).
    """
    meta = article_meta(item, lang, page_signature)
    if story is not None:
        meta["story"] = story.id
    parts = [
        front_matter(meta),
        f"# {escape_markdown(item.title_in(lang))}\n",
    ]
    if lang == "en":
        parts.append(f'<p class="nashra-original-title" lang="ar" dir="rtl">{escape_html(item.article.title)}</p>\n')
    parts.append(_meta_line(item, lang) + "\n")
    if story is not None and len(story.items) > 1:
        others = len(story.items) - 1
        others_text = label(lang, "part_of_story", others=count_phrase(others, "other_article", lang))
        parts.append(f'<p class="nashra-story-link" markdown="1">{escape_markdown(others_text)} '
                     f'[{escape_markdown(story.lead.title_in(lang))}]({link(article_page(item.article.id), story_page(story.id))})</p>\n')
    parts.append(_notice(item, lang, signatures_html(item.provenance,
                                                     str(page_signature) if page_signature else None, lang)))
    parts.append(flag_count_html(item, lang))
    parts.append(f"## {label(lang, 'summary')}\n")
    parts.append("\n".join(f"- {mark_markdown(s, lang)}" for s in summary_in(item, lang)) + "\n")
    parts.append(f"## {label(lang, 'full_text')}\n")
    parts.append(_aligned_table(item, lang) + "\n")
    return "\n".join(parts)


def _story_sentences(story: Story, lang: str, here: str) -> list[str]:
    """Summary lines; with several articles, each credited to its outlet with a link to the article."""
    lines = []
    for sentence in story.summary:
        item = sentence.item
        text = item.sentence_in(sentence.index, lang)
        if len(story.items) == 1:
            lines.append(mark_markdown(text, lang))
            continue
        outlet = outlet_name(item.source, lang)
        credit = bdi_markdown(outlet, whole=True) if outlet else bdi_markdown(_short(item.title_in(lang)))
        lines.append(f"{mark_markdown(text, lang)} ([{credit}]({link_to(here, article_address(item.id, item.date))}))")
    return lines


def _short(title: str, words: int = 6) -> str:
    parts = title.rstrip("…").split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def _story_meta_line(story: Story, lang: str, here: str) -> str:
    """Its named outlets (an article of unknown outlet is no outlet), its articles and its date."""
    named: dict[str, str] = {}
    for source in story.sources:
        names = outlet_name(source, lang)
        if names is not None:
            named.setdefault(names, outlet_html(source, lang, here))
    parts = []
    if len(named) == 1:
        parts.append(f'<span class="nashra-sources">{next(iter(named.values()))}</span>')
    elif named:
        listed = ("، " if lang == "ar" else ", ").join(named.values())
        parts.append(f'<span class="nashra-sources">{escape_html(count_phrase(len(named), "outlet", lang))}: '
                     f'{listed}</span>')
    if story.items:
        parts.append(f'<span class="nashra-count">{escape_html(count_phrase(len(story.items), "article", lang))}</span>')
    parts.append(f'<span class="nashra-date">{date_html(story.latest, lang)}</span>')
    return '<p class="nashra-meta">' + " · ".join(parts) + "</p>"


def render_story(story: Story, lang: str) -> str:
    """The page of one story: multi-source summary with credits, then every article about it."""
    lead = story.lead
    provenance = lead.provenance
    here = story_page(story.id)
    meta = {
        "title": lead.title_in(lang),
        "original_title": lead.title,
        "story": story.id,
        "language": lang,
        "articles": [i.id for i in story.items],
        "sources": list(story.sources),
        "date": story.latest.isoformat() if story.latest else None,
        "model": provenance.model,
        "engine": provenance.engine,
        "summarizer": provenance.summarizer,
        "nashra_version": provenance.nashra_version,
    }
    parts = [front_matter(meta), f"# {escape_markdown(lead.title_in(lang))}\n", _story_meta_line(story, lang, here) + "\n",
             _notice(lead, lang), f"## {label(lang, 'summary')}\n"]
    parts.append("\n".join(f"- {line}" for line in _story_sentences(story, lang, here)) + "\n")
    parts.append(f"## {label(lang, 'coverage')}\n")
    for item in story.items:
        details = " · ".join(bdi_markdown(x, whole=True) for x in (
            outlet_name(item.source, lang) or label(lang, "unknown_source"), format_date(item.date, lang)))
        parts.append(f"- [{escape_markdown(item.title_in(lang))}]({link_to(here, article_address(item.id, item.date))})"
                     f" — {details}")
    return "\n".join(parts) + "\n"


def stories_count(stories: int, articles: int, lang: str) -> str:
    """'3 stories from 5 articles' in ``lang``'s grammar."""
    return label(lang, "stories_count", stories=count_phrase(stories, "story", lang),
                 articles=count_phrase(articles, "article", lang, "oblique"))


def render_home(shown: Sequence[Story], lang: str, site_name: str | None = None, total: int | None = None) -> str:
    """The briefing in ``lang``: the stories the home page lists (chosen by :meth:`Archive.home
    <nashra.site.inputs.Archive.home>`, the rule of :mod:`nashra.stories.home`), with summaries.

    ``total``: the number of all the stories (default: those shown).
    """
    heading = site_name or label(lang, "site_name")
    total = len(shown) if total is None else total
    count = sum(len(s.items) for s in shown)
    parts = [
        front_matter({"title": label(lang, "latest"), "language": lang, "stories": len(shown), "articles": count,
                      **LISTING}),
        f"# {escape_markdown(heading)}\n",
        f'<p class="nashra-count">{escape_html(stories_count(len(shown), count, lang))}</p>\n',
    ]
    if shown:
        provenance = shown[0].lead.provenance
        model = escape_html(provenance.model) if lang == "en" else bdi_text(provenance.model, "ltr", lang="en")
        parts.append(notice_html(lang, f"{escape_html(LABELS[lang]['translated_by']).format(model=model)} "
                                       f"{licence_text(provenance, lang)}"))
    else:
        parts.append(escape_markdown(label(lang, "no_articles")) + "\n")
    for story in shown:
        parts.append('<article class="nashra-entry" markdown="1">\n')
        parts.append(f"## [{escape_markdown(story.lead.title_in(lang))}]({link_to(HOME, story_address(story))})\n")
        parts.append(_story_meta_line(story, lang, HOME) + "\n")
        parts.append(" ".join(_story_sentences(story, lang, HOME)) + "\n")
        links = " · ".join(f"[{bdi_markdown(i.title_in(lang))}]({link_to(HOME, article_address(i.id, i.date))})"
                           for i in story.items)
        parts.append(f'<p class="nashra-articles" markdown="1">{escape_markdown(label(lang, "articles_label"))}: {links}</p>\n')
        parts.append("</article>\n")
    if len(shown) < total:
        parts.append(f"[{escape_markdown(label(lang, 'more_in_archive'))}]({link(HOME, ARCHIVE_INDEX)})\n")
    return "\n".join(parts)


def article_docs(item: BriefingArticle, story: Story | None,
                 signature: PageSignature | None = None) -> Iterator[tuple[str, str]]:
    """The docs files of one article: (path inside ``docs/``, Markdown) in each language.

    ``signature``: the one its page key is made under (:func:`article_page_key`), shown on the pages.
    It comes from the code and settings, never from a page, so showing it cannot change the key.
    """
    for lang in LANGUAGES:
        yield article_path(item.article.id, lang), render_article(item, lang, story, signature)


@functools.cache
def _render_sources() -> tuple[bytes, ...]:
    """The code article pages are written by: a change to it changes every page key."""
    package = resources.files("nashra.site")
    return tuple(package.joinpath(name).read_bytes()
                 for name in ("render.py", "archive.py", "urls.py", "escape.py", "labels.py", "bidi.py", "outlets.py",
                              "plural.py", "provenance.py", "langmark.py"))


def article_page_signature() -> PageSignature:
    """What every article's pages are written from besides the article: the code writing them and the
    outlets' names in use (a project's names change every article page)."""
    return PageSignature.of(_render_sources(), ("nashra",), names_fingerprint().encode("utf-8"))


def pages_signature(signature: PageSignature, provenance: Provenance) -> str:
    """What every article page of a build is made under: the code, the outlets' names and the provenance."""
    return signature.key(json.dumps(["pages", *dataclasses.astuple(provenance)], ensure_ascii=False))


def article_page_key(record: Record, story: Story | None, provenance: Provenance,
                     signature: PageSignature | None = None) -> str:
    """Everything an article's pages are made from besides the article (whose fingerprint the record has):
    its translation, summary, flags and story, under ``signature`` (default: :func:`article_page_signature`)."""
    lead = story.lead if story is not None else None
    payload = json.dumps([
        record.fingerprint, record.namespace, record.title_translation, list(record.translations), record.summary_key,
        list(record.summary_ar), list(record.summary_en), list(dataclasses.astuple(provenance)),
        [list(f) for f in record.flags] if record.flags is not None else None,
        story.id if story else None, len(story.items) if story else 0,
        [lead.id, lead.title, lead.title_translation] if lead else None,
    ], ensure_ascii=False)
    return (signature or article_page_signature()).key(payload)


def iter_docs(archive: Archive, site_name: dict[str, str] | None = None) -> Iterator[tuple[str, str]]:
    """Every docs file of the briefing as (path inside ``docs/``, Markdown), one at a time.

    Articles stream from the archive's records and every other page is written
    from its queries, so nothing holds the whole archive.
    """
    signature = article_page_signature()
    for item, story in archive.articles():
        yield from article_docs(item, story, signature)
    yield from iter_index_docs(archive, site_name)


def iter_index_docs(archive: Archive, site_name: dict[str, str] | None = None) -> Iterator[tuple[str, str]]:
    """The pages made from digests: home, story pages, archive, sources and each outlet's pages."""
    for story in archive.stories(several=True):
        yield from story_docs(story)
    yield from iter_listing_docs(archive, site_name)


def story_docs(story: Story) -> Iterator[tuple[str, str]]:
    """A story's page in every language: (path inside ``docs/``, Markdown)."""
    for lang in LANGUAGES:
        yield docs_file(story_page(story.id), lang), render_story(story, lang)


def story_page_key(signature: PageSignature | None = None) -> str:
    """What a story page is written under besides its story (which a story's row in the archive stands for):
    the code writing pages and the outlets' names (see :func:`article_page_signature`)."""
    return (signature or article_page_signature()).key("story")


def iter_listing_docs(archive: Archive, site_name: dict[str, str] | None = None) -> Iterator[tuple[str, str]]:
    """The pages that list articles and stories: home, archive, sources and each outlet's pages."""
    yield from front_docs(archive, site_name)
    for listing in listings(archive):
        yield from listing.make()


def front_docs(archive: Archive, site_name: dict[str, str] | None = None) -> Iterator[tuple[str, str]]:
    """The home page, the archive's index and the sources page: made anew by every build."""
    shown, total = archive.home(), archive.count()
    for lang in LANGUAGES:
        yield docs_file(HOME, lang), render_home(shown, lang, (site_name or {}).get(lang), total)
    yield from archive_index_docs(archive.days())
    yield from render_sources(archive.sources(LATEST_PER_SOURCE)).items()


def listings(archive: Archive) -> Iterator[Listing]:
    """The archive's day pages and the outlets' pages, each with the key of what it lists."""
    yield from day_listings(archive, archive.days())
    yield from outlet_listings(archive, archive.sources(LATEST_PER_SOURCE))


def listing_key(listing: Listing, signature: PageSignature | None = None) -> str:
    """What a listing page is written under: what it lists, the code writing it, the outlets' names (see
    :func:`article_page_signature`) and the compact cutoff (its articles' links)."""
    return (signature or article_page_signature()).key(f"listing|{listing.key}|{compact_cutoff()}")


__all__ = ["article_path", "iter_docs", "iter_index_docs", "iter_listing_docs", "render_article", "render_home",
           "render_story", "story_docs", "story_page_key"]
