"""What a reader sees in a news sentence, as numbers: the features of the learned ranker.

One row per candidate sentence (not excluded, not empty), in document order. The
features are the signals an editor weighs when they write an abstract: where the
sentence stands (first, second, its paragraph, whether it opens one), how long it is,
how much it shares with the title and with the rest of the article (TF-IDF cosine
and TextRank centrality, datelines ignored), and what it carries: numbers, names
(words outside the lexicon of common Arabic words), a quotation, an attribution
verb ("قال", "أكد" ...), a dateline, a colon that opens a quotation, a question.

:data:`FEATURES` names the columns; the shipped model file records the list it was
trained on, and :mod:`nashra.summarize.learned` refuses a file whose list differs.
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Collection, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from ..text.dateline import split_dateline
from ..text.graph import pagerank, tfidf_matrix
from ..text.lexicon import arabic_lexicon
from ..text.tokens import content_terms, words

if TYPE_CHECKING:
    import numpy as np

FEATURES: tuple[str, ...] = (
    "first",
    "second",
    "log_rank",
    "relative_position",
    "log_paragraph",
    "opens_paragraph",
    "paragraph_alone",
    "log_words",
    "length_ratio",
    "title_similarity",
    "title_share",
    "centrality",
    "document_similarity",
    "numbers",
    "names",
    "quotation",
    "attribution",
    "dateline",
    "ends_colon",
    "question",
    "log_sentences",
)

#: Verbs that attribute a statement to a source, as they open or carry a news sentence.
#: A sentence of fewer words (its dateline aside) is a fragment — "ولم يتطرق لتفاصيل.", "1.", the end of a
#: quotation cut off by the splitter — and not a summary sentence while the article has others.
MIN_WORDS = 5

_ATTRIBUTION = frozenset(
    words("قال قالت يقول تقول أضاف أضافت أكد أكدت أوضح أوضحت ذكر ذكرت صرح صرحت أعلن أعلنت أشار أشارت "
          "وقال وقالت وأضاف وأضافت وأكد وأكدت وأوضح وأوضحت وذكر وذكرت وصرح وصرحت وأعلن وأعلنت وأشار وأشارت "
          "بحسب وبحسب حسب وفق وفقا ووفقا نقلت ونقلت أفاد أفادت وأفاد وأفادت")
    + ["said", "says", "told", "added", "according", "announced", "stated", "confirmed"]
)
_QUOTATION_RE = re.compile(r"[«»\"“”]")
_NUMBER_RE = re.compile(r"\d")
_CAPITALIZED_RE = re.compile(r"\b\w+")


@lru_cache(maxsize=2_048)  # one article's sentences: asked for by the fragment check and by the features
def _parts(sentence: str) -> tuple[str, str, tuple[str, ...]]:
    """The sentence's dateline, the rest, and the rest's normalized words."""
    dateline, body = split_dateline(sentence)
    return dateline, body, tuple(words(body))


def fragments(sentences: Sequence[str], exclude: Collection[int] = ()) -> set[int]:
    """The candidate sentences too short to stand in a summary (see :data:`MIN_WORDS`), unless every
    candidate is (an article of short lines keeps them)."""
    candidates = [i for i, s in enumerate(sentences) if i not in exclude and s.strip()]
    short = {i for i in candidates if len(_parts(sentences[i])[2]) < MIN_WORDS}
    return short if len(short) < len(candidates) else set()


def sentence_features(sentences: Sequence[str], lang: str, title: str | None = None,
                      exclude: Collection[int] = (), paragraphs: Sequence[int] = ()) -> tuple[list[int], np.ndarray]:
    """``(candidates, matrix)``: the indices of the candidate sentences and one row of :data:`FEATURES` each.

    ``paragraphs``: the paragraph of each sentence (every sentence its own paragraph when not given).
    """
    import numpy as np

    candidates = [i for i, s in enumerate(sentences) if i not in exclude and s.strip()]
    count = len(candidates)
    matrix = np.zeros((count, len(FEATURES)))
    if not count:
        return candidates, matrix
    split = [_parts(sentences[i]) for i in candidates]
    bodies = [body for _, body, _ in split]
    terms = [content_terms(body, lang) for body in bodies]
    title_terms = content_terms(title, lang) if title else []
    vectors = tfidf_matrix([*terms, title_terms])
    similarity = vectors[:-1] @ vectors[:-1].T
    np.fill_diagonal(similarity, 0.0)
    rank = pagerank(similarity)
    centrality = rank / rank.max() if rank.max() > 0 else rank
    title_similarity = vectors[:-1] @ vectors[-1] if title_terms else np.zeros(count)
    title_set = set(title_terms)
    # Similarity to the rest of the article: the sentence against the sum of the others.
    total = vectors[:-1].sum(axis=0)
    lexicon = _lexicon(lang)
    tokens = [list(t) for _, _, t in split]
    lengths = [max(1, len(t)) for t in tokens]
    median = statistics.median(lengths)
    paragraph_of = [paragraphs[i] if i < len(paragraphs) else i for i in candidates]
    paragraph_rank = {p: k for k, p in enumerate(dict.fromkeys(paragraph_of))}
    paragraph_size = {p: paragraph_of.count(p) for p in paragraph_rank}
    for row, index in enumerate(candidates):
        rest = total - vectors[row]
        norm = float(np.linalg.norm(rest))
        paragraph = paragraph_of[row]
        sentence = sentences[index].strip()
        names = _names(bodies[row], tokens[row], lexicon, lang)
        matrix[row] = (
            row == 0,
            row == 1,
            math.log1p(row),
            row / (count - 1) if count > 1 else 0.0,
            math.log1p(paragraph_rank[paragraph]),
            row == 0 or paragraph_of[row - 1] != paragraph,
            paragraph_size[paragraph] == 1,
            math.log(lengths[row]),
            math.log(lengths[row] / median),
            title_similarity[row],
            len(set(terms[row]) & title_set) / len(title_set) if title_set else 0.0,
            centrality[row],
            float(vectors[row] @ rest) / norm if norm > 0 else 0.0,
            math.log1p(len(_NUMBER_RE.findall(bodies[row]))),
            names / lengths[row],
            bool(_QUOTATION_RE.search(sentence)),
            any(w in _ATTRIBUTION for w in tokens[row][:4]),
            bool(split[row][0]),
            sentence.endswith(":"),
            sentence.endswith(("?", "؟")),
            math.log(count),
        )
    return candidates, matrix


def _names(body: str, tokens: Sequence[str], lexicon: frozenset[str], lang: str) -> int:
    """Words that look like names: in Arabic, outside the lexicon; in English, capitalized past the first word."""
    if lang == "ar":
        return sum(1 for w in tokens if len(w) > 2 and not w.isdigit() and w not in lexicon)
    return sum(1 for w in _CAPITALIZED_RE.findall(body)[1:] if w[0].isupper())


def _lexicon(lang: str) -> frozenset[str]:
    """Common words of ``lang``: a word outside it is most often a name (Arabic has no capitals)."""
    if lang != "ar":
        return frozenset()
    return arabic_lexicon()
