"""The hooks MkDocs runs on every page: what they change in a page's HTML."""

from __future__ import annotations

from nashra.site.hooks import squeeze


def test_whitespace_with_a_line_break_becomes_one_line_break_but_in_pre_and_textarea():
    page = ("<div>\n   <p>one\n\n  two  three</p>\n  <PRE class=x>keep\n   this\n</PRE>\n"
            " <textarea>\n  and this</textarea>  \n</div>\n")
    assert squeeze(page) == ("<div>\n<p>one\ntwo  three</p>\n<PRE class=x>keep\n   this\n</PRE>\n"
                             "<textarea>\n  and this</textarea>\n</div>\n")
    assert squeeze(squeeze(page)) == squeeze(page)

