from nashra.site.langmark import mark_html, mark_markdown, runs


def test_arabic_words_in_english_text_are_marked_as_arabic():
    assert mark_html("arabic: untranslated ممكنة أو معروفة …; numbers: 5", "en") == (
        'arabic: untranslated <span lang="ar">ممكنة أو معروفة</span> …; numbers: 5')


def test_latin_words_in_arabic_text_are_marked_as_english():
    text = 'من برنامج "ذا فويس" I Love You So Much". و(CNN)-- اتهمت'
    assert mark_html(text, "ar") == ('من برنامج &quot;ذا فويس&quot; <span lang="en">I Love You So Much</span>&quot;. '
                                     'و(<span lang="en">CNN</span>)-- اتهمت')


def test_text_of_one_script_is_left_as_it_is_and_pieces_put_back_give_the_text():
    assert mark_html("Talks resume in Vienna", "en") == "Talks resume in Vienna"
    assert mark_html("اجتمع الوزراء في فيينا", "ar") == "اجتمع الوزراء في فيينا"
    text = "OPEC اجتمع وزراء أوبك في Vienna اليوم 2024"
    assert "".join(piece for piece, _ in runs(text, "ar")) == text
    assert [piece for piece, other in runs(text, "ar") if other == "en"] == ["OPEC", "Vienna"]


def test_marking_escapes_every_piece_and_keeps_the_spaces_between_them():
    assert mark_html("<b>x</b> عربي & y", "en") == '&lt;b&gt;x&lt;/b&gt; <span lang="ar">عربي</span> &amp; y'
    assert mark_markdown("- a *b* عربي [c]", "en") == r'\- a \*b\* <span lang="ar">عربي</span> \[c\]'
    assert mark_markdown('عربي <script> "x"', "en") == '<span lang="ar">عربي</span> &lt;script&gt; "x"'
