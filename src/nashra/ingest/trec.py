"""TREC-style ``<DOC>`` documents (DOCNO, URL, SRC, TITLE, TIME, ABSTRACT, TEXT), read leniently."""

from __future__ import annotations

import html
import re
from pathlib import Path

from ..document import Article
from ..errors import InputError
from .fields import Fields, build_article
from .reader import Reader, or_problem


_DOC_RE = re.compile(r"<DOC>(.*?)(?:</DOC>|\Z)", re.DOTALL | re.IGNORECASE)


def _trec_field(doc: str, tag: str) -> str | None:
    # The first opening tag, then its closing tag: a search for "<TAG>(.*?)</TAG>" would try every
    # opening tag of a document that never closes it, in time growing with the square of its size.
    opening = re.search(rf"<{tag}>", doc, re.IGNORECASE)
    if not opening:
        return None
    closing = re.compile(rf"</{tag}>", re.IGNORECASE).search(doc, opening.end())
    if not closing:
        return None
    return html.unescape(doc[opening.end():closing.start()]).strip()


class TrecReader(Reader):
    suffixes = (".xml", ".trec")

    def read(self, path: Path, content: str) -> list[Article | InputError]:
        """The documents of a TREC file; a document that cannot be read is its own problem, not the file's."""
        docs = _DOC_RE.findall(content)
        if not docs:
            raise InputError(path, "no <DOC> element found in TREC file")
        if len(docs) == 1:
            return [_trec_article(path, docs[0], "")]
        return [or_problem(_trec_article, path, doc, f" (document {number})") for number, doc in enumerate(docs, 1)]


def _trec_article(path: Path, doc: str, where: str) -> Article:
    text = _trec_field(doc, "TEXT")
    if text is None:
        raise InputError(f"{path}{where}", "TREC document has no <TEXT> element")
    docno = _trec_field(doc, "DOCNO")
    date_value = _trec_field(doc, "TIME")
    if not date_value and docno:
        compact = re.search(r"(\d{8})$", docno)
        date_value = compact.group(1) if compact else None
    return build_article(path, Fields(text, title=_trec_field(doc, "TITLE"), source=_trec_field(doc, "SRC"),
                                      url=_trec_field(doc, "URL"), date=date_value, id=docno,
                                      abstract=_trec_field(doc, "ABSTRACT")), where)
