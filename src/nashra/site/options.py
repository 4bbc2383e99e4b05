"""The site settings (``[site]``, ``[languages]``, ``[outlets]`` and ``jobs`` of nashra.toml), as the
publishing stage takes them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .. import options as check
from ..options import NestedError, setting
from .budget import DEFAULT_MAX_SIZE, Budget, parse_size
from .labels import LABELS

#: The longest site name, language label or outlet name; the longest description.
MAX_NAME, MAX_DESCRIPTION = 200, 1000


def file_count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError("must be a number of files, or 0 for no limit")
    return value


def outlets(value: Any) -> dict[str, dict[str, str]]:
    """The [outlets] table: each raw name -> { en = "...", ar = "..." } (either may be left out)."""
    if not isinstance(value, dict):
        raise ValueError('must be a table of outlets such as "Example Wire" = { en = "...", ar = "..." }')
    names: dict[str, dict[str, str]] = {}
    for raw, entry in value.items():
        if (not isinstance(entry, dict) or not entry or set(entry) - {"en", "ar"}
                or not all(isinstance(v, str) and v.strip() for v in entry.values())):
            raise NestedError(raw, entry, 'must be a table such as { en = "Sky News Arabia", ar = "سكاي نيوز عربية" }')
        for lang, name in entry.items():
            try:
                check.one_line(MAX_NAME)(name)
            except ValueError as exc:
                raise NestedError(f"{raw}.{lang}", name, str(exc)) from None
        names[raw] = {k: v.strip() for k, v in entry.items()}
    return names


@dataclass
class SiteOptions:
    """What the site is called, where it lives, how large it may grow, and the user's own MkDocs settings."""

    SECTION = "site"

    name: str = setting(LABELS["en"]["site_name"], key="name", check=check.one_line(MAX_NAME),
                        help="The site's English name.")
    name_ar: str = setting(LABELS["ar"]["site_name"], key="name_ar", check=check.one_line(MAX_NAME),
                           help="The site's Arabic name.")
    description: str = setting("A bilingual briefing of the Arabic press", key="description",
                               check=check.one_line(MAX_DESCRIPTION),
                               help="Shown in the English feeds and page metadata.")
    #: The Arabic feed's description (the English one, ``description``, is also the site's).
    description_ar: str = setting("موجز ثنائي اللغة للصحافة العربية", key="description_ar",
                                  check=check.one_line(MAX_DESCRIPTION), help="The Arabic feeds' description.")
    url: str = setting("", key="url", check=check.url, option=("--site-url",), metavar="URL",
                       help="The address the site is published at, such as https://example.org/briefing/: feeds and"
                            " sitemap.xml get absolute links. Leave empty while trying things out.")
    #: How large the published site may be (0: no limit; see :mod:`nashra.site.budget`).
    max_size: int = setting(DEFAULT_MAX_SIZE, key="max_size", check=parse_size, shown='`"1 GB"`', written="1 GB",
                            help='The most the published site may weigh ("800 MB", "2 GiB", bytes; 0: no limit):'
                                 " GitHub Pages and GitLab Pages take 1 GB. Past it, the oldest articles' pages give"
                                 " way to compact entries (title, summary in both languages, link to the original) on"
                                 " the archive's day pages; their Markdown stays in docs/.")
    max_files: int = setting(0, key="max_files", check=file_count, shown="`0` (no limit)",
                             help="The most files the published site may have (0: no limit); GitLab Pages takes"
                                  " 200,000, Cloudflare Pages' free plan 20,000.")
    label_en: str = setting(LABELS["en"]["language_name"], section="languages", key="en",
                            check=check.one_line(MAX_NAME), help="The English label of the language switcher.")
    label_ar: str = setting(LABELS["ar"]["language_name"], section="languages", key="ar",
                            check=check.one_line(MAX_NAME), help="The Arabic label of the language switcher.")
    #: Outlets' display names over the built-in ones: raw name -> {"en": .., "ar": ..}.
    outlets: dict[str, dict[str, str]] = setting(
        factory=dict, section="outlets", key="", check=outlets, shown="built-in names",
        help="Names shown for outlets, by the name the articles give (Nashra knows the common Arabic outlets:"
             " skynews, alarabia, BBC, CNN, france24, aljazeera...).",
        template_note='"Example Wire" = { en = "Example Wire", ar = "وكالة المثال" }')
    #: Processes rendering HTML at once for a large site (None: one per CPU, at most 4). How the
    #: site is built, not what it is: it changes no page.
    jobs: int | None = setting(
        None, section="", key="jobs", check=check.count, option=("-j", "--jobs"), envvar="NASHRA_JOBS", kind=int,
        shown="one per CPU, at most 4", example=2,
        help="Processes rendering the HTML of a large site, and parts of the search index indexed, at once (about"
             " 120 MB a renderer).")
    #: Settings read from the project's mkdocs.yml (theme look, extra CSS, extensions...).
    mkdocs: dict[str, Any] = field(default_factory=dict)

    def name_in(self, lang: str) -> str:
        return self.name_ar if lang == "ar" else self.name

    @property
    def budget(self) -> Budget:
        """How large the published site may be."""
        return Budget(self.max_size, self.max_files)
