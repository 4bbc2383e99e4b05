"""Words of the site's interface and dates, in each language."""

from __future__ import annotations

from datetime import datetime, UTC

LANGUAGES = ("en", "ar")
#: The language at the site's root; every other language's pages lie under a folder named by its code.
DEFAULT_LANGUAGE = "en"
#: The direction of each language's text.
DIRECTIONS = {"ar": "rtl", "en": "ltr"}

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "language_name": "English",
        "site_name": "Nashra briefing",
        "briefing": "Briefing",
        "summary": "Summary",
        "full_text": "Full text",
        "original": "Original (Arabic)",
        "translation": "English translation",
        "source": "Source",
        "date": "Date",
        "undated": "Undated",
        "unknown_source": "Unknown source",
        "original_link": "Original article",
        "read_more": "Read the article",
        "dark_mode": "Dark mode",
        "light_mode": "Light mode",
        "machine_title": "Machine translation",
        "machine_notice": (
            "The English translation and both summaries were produced automatically by a machine "
            "and may contain errors. Check the original before quoting it."
        ),
        "provenance": "Translated by {model} ({engine} engine); summary by {summarizer}; Nashra {version}.",
        "archive": "Archive",
        "latest": "Latest",
        "sources": "Sources",
        "undated_articles": "Undated articles",
        "compact_note": (
            "These articles are kept as summaries: the archive's oldest pages gave way so that the site fits "
            "its host. English titles and summaries are machine translations; each article links to its original."
        ),
        "more_in_archive": "Older stories are in the archive.",
        "stories_count": "{stories} from {articles}",
        "no_articles": "No articles yet.",
        "coverage": "Coverage",
        "articles_label": "Articles",
        "part_of_story": "Also reported by {others}:",
        "sources_count": "{articles} from {outlets}",
        "all_articles": "All its articles ({articles})",
        "unknown_outlet_articles": "Articles without a known outlet",
        "page": "Page {page}",
        "all_pages": "All its articles, {size} a page from the oldest; each month links to the page it begins on:",
        "newer_page": "Newer articles",
        "older_page": "Older articles",
        "flag_label": "Doubtful translation",
        "flagged_count": ("Marked as doubtful: {sentences} of this translation (a number missing or changed,"
                          " Arabic left untranslated, a repeated phrase, an unusual length or no output);"
                          " hover over or tap the mark for the reason."),
        "translated_by": "Translated by {model}.",
        "model_licence": "Model licence: {licence}{link}.",
        "model_licence_unknown": "The model's licence is not stated.",
        "signatures": "Build signatures (what a rebuild compares before reusing this page)",
        "signature_translation": "Translation:",
        "signature_summary": "Summary:",
        "signature_page": "Page:",
    },
    "ar": {
        "language_name": "العربية",
        "site_name": "نشرة",
        "briefing": "النشرة",
        "summary": "الملخص",
        "full_text": "النص الكامل",
        "original": "النص الأصلي (العربية)",
        "translation": "الترجمة الإنجليزية",
        "source": "المصدر",
        "date": "التاريخ",
        "undated": "بدون تاريخ",
        "unknown_source": "مصدر غير معروف",
        "original_link": "المقال الأصلي",
        "read_more": "اقرأ المقال",
        "dark_mode": "الوضع الداكن",
        "light_mode": "الوضع الفاتح",
        "machine_title": "ترجمة آلية",
        "machine_notice": (
            "الترجمة الإنجليزية والملخصان من إنتاج آلي وقد تحتوي على أخطاء. "
            "راجع النص الأصلي قبل الاقتباس منه."
        ),
        "provenance": "ترجمة {model} (محرك {engine})؛ التلخيص {summarizer}؛ نشرة {version}.",
        "archive": "الأرشيف",
        "latest": "الأحدث",
        "sources": "المصادر",
        "undated_articles": "مقالات بدون تاريخ",
        "compact_note": (
            "تُحفظ هذه المقالات ملخّصاتٍ: أخلت أقدم صفحات الأرشيف مكانها كي يتّسع الموقع لمساحة استضافته. "
            "العناوين والملخّصات الإنجليزية ترجمة آلية، ولكل مقالة رابط إلى نصّها الأصلي."
        ),
        "more_in_archive": "القصص الأقدم في الأرشيف.",
        "stories_count": "{stories} من {articles}",
        "no_articles": "لا توجد مقالات بعد.",
        "coverage": "التغطية",
        "articles_label": "المقالات",
        "part_of_story": "تناولت الخبر نفسه {others}:",
        "sources_count": "{articles} من {outlets}",
        "all_articles": "جميع مقالاته ({articles})",
        "unknown_outlet_articles": "مقالات من مصدر غير معروف",
        "page": "الصفحة {page}",
        "all_pages": "جميع مقالاته، {size} في كل صفحة بدءًا من الأقدم؛ يحيل كل شهر إلى الصفحة التي يبدأ فيها:",
        "newer_page": "مقالات أحدث",
        "older_page": "مقالات أقدم",
        "flag_label": "ترجمة مشكوك فيها",
        "flagged_count": ("الجمل المعلَّمة في هذه الترجمة بأنها مشكوك فيها: {sentences} (رقم ناقص أو مختلف، أو نص"
                          " عربي لم يُترجم، أو عبارة مكررة، أو طول غير معتاد، أو ترجمة فارغة)؛ مرّر المؤشر على"
                          " العلامة أو المسها لمعرفة السبب."),
        "translated_by": "ترجمة {model}.",
        "model_licence": "رخصة النموذج: {licence}{link}.",
        "model_licence_unknown": "رخصة النموذج غير مذكورة.",
        "signatures": "تواقيع البناء (ما يقارنه البناء التالي قبل إعادة استخدام هذه الصفحة)",
        "signature_translation": "الترجمة:",
        "signature_summary": "التلخيص:",
        "signature_page": "الصفحة:",
    },
}

_MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"],
    "ar": ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر",
           "أكتوبر", "نوفمبر", "ديسمبر"],
}


def month_name(month: int, lang: str) -> str:
    return _MONTHS[lang][month - 1]


def label(lang: str, key: str, **values: object) -> str:
    """An interface string, filled with ``values`` (counts come worded by :func:`nashra.site.plural.count_phrase`)."""
    text = LABELS[lang][key]
    return text.format(**values) if values else text


def format_date(value: datetime | None, lang: str) -> str:
    """A date in the language's conventions, with its time and zone when it has a time; 'Undated' when absent."""
    if value is None:
        return label(lang, "undated")
    offset = value.utcoffset()
    if offset is None or offset.total_seconds() == 0:
        zone = "UTC" if lang == "en" else "بتوقيت غرينتش"
    else:
        minutes = int(offset.total_seconds() // 60)
        sign = "+" if minutes >= 0 else "-"
        zone = f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    month = _MONTHS[lang][value.month - 1]
    if (value.hour, value.minute) == (0, 0):
        # A date without its time (a file's `date: 2024-06-02`, a date read from the text): a time zone
        # would claim a time the source never gave.
        return f"{value.day} {month} {value.year}"
    return f"{value.day} {month} {value.year} {value:%H:%M} {zone}"


def sort_key(value: datetime | None) -> float:
    """Newest first with undated last, when used as an ascending sort key."""
    return -value.astimezone(UTC).timestamp() if value else float("inf")
