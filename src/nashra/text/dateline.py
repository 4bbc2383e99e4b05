"""Datelines and bylines that open news sentences.

"دبي، الإمارات العربية المتحدة (CNN) -- سيحصل ..." or "القاهرة - أ ف ب: ..."
start the lead of many agency stories. They are kept in the displayed text
but left out when sentences are compared or scored.
"""

from __future__ import annotations

import re

# A short place (optionally "place, country" and an agency in brackets), then a dash or colon.
_DATELINE_RE = re.compile(
    r"^(?P<dateline>[^\s.!?؟\"«»:()-][^.!?؟\"«»:]{0,60}?(?:\s*\([^()]{1,30}\))?\s*(?:--|—|–|-|:)\s+)(?=\S)"
)
_MAX_DATELINE_WORDS = 8


def split_dateline(sentence: str) -> tuple[str, str]:
    """``(dateline, rest)``; the dateline is ``""`` when the sentence has none."""
    match = _DATELINE_RE.match(sentence)
    if not match:
        return "", sentence
    dateline = match.group("dateline")
    words = dateline.replace("(", " ").replace(")", " ").split()
    # A colon ends a dateline only after an agency in brackets ("القاهرة (رويترز):"), not "قال الوزير:".
    if dateline.rstrip().endswith(":") and "(" not in dateline:
        return "", sentence
    # A real dateline is short, and the dash is not inside a sentence ("قال - بحسب ...").
    if len(words) > _MAX_DATELINE_WORDS or ("," not in dateline and "،" not in dateline and "(" not in dateline
                                           and len(words) > 4):
        return "", sentence
    return dateline, sentence[match.end():]


def strip_dateline(sentence: str) -> str:
    return split_dateline(sentence)[1]
