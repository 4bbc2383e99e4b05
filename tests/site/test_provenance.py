from nashra.document import Provenance
from nashra.site.provenance import SHOWN_HEX, shorten, signature_strings, signatures_html

DIGEST = "0123456789abcdef" * 4


def test_shorten_cuts_long_digests_only():
    assert SHOWN_HEX == 12
    assert shorten(f"code={DIGEST}|renderers=nashra=0.1.0;|config={DIGEST[:24]}") == (
        "code=0123456789ab…|renderers=nashra=0.1.0;|config=0123456789ab…")
    # Short hex runs (versions, a 15-digit run, words made of hex letters) stay as they are.
    assert shorten("v1:0.5-3.0/25|deadbeefcafe123|added") == "v1:0.5-3.0/25|deadbeefcafe123|added"


def test_signatures_html_isolates_each_string_and_escapes_it():
    provenance = Provenance("m", "e", "s", "0", translation_signature=DIGEST[:24],
                            summary_signature='s<script>"x"|sentences=3')
    html = signatures_html(provenance, f"code={DIGEST}", "ar")
    assert html.startswith('<details class="nashra-signatures"><summary>تواقيع البناء')
    assert "<script>" not in html and '<code>s&lt;script&gt;&quot;x&quot;|sentences=3</code>' in html
    assert (f'الترجمة: <bdi dir="ltr"><code title="{DIGEST[:24]}">0123456789ab…</code></bdi>') in html
    assert f'<code title="code={DIGEST}">code=0123456789ab…</code>' in html
    assert signature_strings(provenance, None) == {"translation_signature": DIGEST[:24],
                                                   "summary_signature": 's<script>"x"|sentences=3',
                                                   "page_signature": None}


def test_no_signatures_no_line():
    assert signatures_html(Provenance("m", "e", "s", "0"), None, "en") == ""
    only_page = signatures_html(Provenance("m", "e", "s", "0"), "code=x", "en")
    assert only_page.count('class="nashra-signature"') == 1 and "Page:" in only_page
