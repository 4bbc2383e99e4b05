from nashra.ingest.stage import load
from nashra.text.boilerplate import (RecurringLines, boilerplate_lines, clean_paragraphs, is_credit, is_teaser)


def test_teaser_read_also_list_and_credit_lines_are_found(data_dir):
    article = load([data_dir / "teasers.txt"]).articles[0]
    found = [article.paragraphs[i] for i in sorted(boilerplate_lines(article.paragraphs))]
    assert found == [
        "قد يهمك.. بوتين يفوز بولاية رابعة في الانتخابات الرئاسية الروسية",
        "اقرأ أيضاً:",
        "ترامب: اجتماع حول سوريا اليوم والقرار سيتخذ قريباً",
        "منظمة حظر الأسلحة الكيميائية تحقق في تقارير حول هجوم دوما",
        "فرانس24/ أ ف ب",
    ]
    kept = clean_paragraphs(article.paragraphs)
    # The list ends at the first sentence; the article's own sentences stay.
    assert kept[-1] == "وأكد ماكرون أن فرنسا ستعلن قرارها خلال الأيام المقبلة." and len(kept) == 3


def test_patterns():
    assert is_teaser("إقرأ أيضا: الحريري: الانتخابات منحتنا 21 مقعدا") and is_teaser("للمزيد: سوريا تتوعد")
    assert is_teaser("أيضاً.. ماتيس حول الهجوم الكيماوي") and is_teaser("اقرأ.. حماس تهدد")
    assert is_credit("*نقلاً عن الرياضية السعودية") and is_credit("** جميع المقالات المنشورة تمثل رأي كتابها فقط.")
    # Sentences that merely start alike are not teasers.
    assert not is_teaser("شاهدت الشرطة المسلح يدخل المتجر.") and not is_credit("نقل المصابون إلى المستشفى.")


def test_recurring_lines_are_learnt_per_outlet_whatever_the_order():
    footer = "هذا المقال يعبر عن رأي كاتبه"
    articles = [("A", [f"خبر رقم {k} عن موضوع مختلف.", footer]) for k in range(3)]
    articles += [("B", ["خبر آخر.", footer]), ("A", ["نص مكرر مرتين.", "سطر"]), ("A", ["نص مكرر مرتين.", "سطر"])]
    learnt = []
    for order in (articles, list(reversed(articles))):
        lines = RecurringLines(min_articles=3)
        for outlet, paragraphs in order:
            lines.add(outlet, paragraphs)
        learnt.append([sorted(lines.lines(o, p)) for o, p in articles])
    assert learnt[0] == learnt[1]
    # The footer recurs in three of A's articles; B's one use of it is not boilerplate for B;
    # the same text filed twice is not boilerplate.
    assert learnt[0] == [[1], [1], [1], [], [], []]


def test_boilerplate_sentences_are_never_summarized(data_dir, dict_translator):
    from oracles import process
    from nashra.summarize import get_summarizer
    from nashra.text.boilerplate import boilerplate_sentences
    from nashra.text.segment import segment

    article = load([data_dir / "teasers.txt"]).articles[0]
    segmented = segment(article)
    dropped = boilerplate_sentences(segmented)
    assert " ".join(segmented.sentences[i].text for i in sorted(dropped)) == " ".join(
        article.paragraphs[i] for i in sorted(boilerplate_lines(article.paragraphs)))
    items, _ = process([data_dir / "teasers.txt"], dict_translator.impl, get_summarizer(), sentences=6)
    summary = items[0].summary_ar
    assert len(summary) == 3 and not set(summary) & dropped  # the article's three own sentences


def test_outlet_line_index_counts_only_articles_dated_no_later():
    import sqlite3

    from nashra.state.lines import OutletLineIndex

    footer = "هذا المقال يعبر عن رأي كاتبه"
    articles = [("A", f"a{k}", f"0{k}", [f"خبر رقم {k} عن موضوع مختلف.", footer]) for k in range(4)]
    articles.append(("B", "b0", "09", ["خبر آخر.", footer]))
    found = []
    for order in (articles, list(reversed(articles))):
        index = OutletLineIndex(sqlite3.connect(":memory:", isolation_level=None))
        index.add(order[:2])
        index.add(order[2:])
        found.append([sorted(index.lines(source, when, lines)) for source, _, when, lines in articles])
    assert found[0] == found[1] == [[], [], [1], [1], []]  # from the third of A's articles on
    index.keep_only("SELECT 'a0' UNION SELECT 'a1'")
    assert index.lines("A", "03", articles[3][3]) == set()
    # An article stored again loses the lines it no longer has, and those of the outlet it no longer names.
    index = OutletLineIndex(sqlite3.connect(":memory:", isolation_level=None))
    index.add(articles)
    assert index.lines("A", "05", [footer]) == {0}
    index.add([("A", "a3", "03", ["خبر رقم 3 عن موضوع مختلف."]), ("C", "a2", "02", ["خبر آخر.", footer])])
    assert index.lines("A", "05", [footer]) == set() and index.lines("B", "09", [footer]) == set()
    index.add([("A", "a2", "02", ["سطر.", footer]), ("A", "a3", "03", ["سطر.", footer])])
    assert index.lines("A", "05", [footer]) == {0}


def test_a_build_leaves_an_outlets_recurring_lines_out_of_story_matching(data_dir, dict_translator):
    from nashra.pipeline import run
    from nashra.summarize import get_summarizer
    from nashra.text.tokens import content_terms

    briefing = run([data_dir / "outlet-lines.jsonl"], dict_translator.impl, get_summarizer())
    terms = {d.id: set(d.terms) for d in briefing.digests()}
    recurring = set(content_terms("تابعوا تغطيتنا الخاصة للقمة العربية على مدار الساعة", "ar", frozenset()))
    # The line recurs in the outlet's third article: left out there, not in the first two, nor in
    # the other outlet's article (once there).
    assert recurring & terms["o1"] and recurring & terms["o2"] and recurring & terms["p1"]
    assert not recurring & terms["o3"]


def test_outlet_line_index_names_every_article_whose_recurring_lines_a_change_may_have_changed():
    """Whatever is added, moved or removed, every article whose recurring lines changed is among those
    :meth:`affected` names (their digests are made again), and they are few."""
    import random
    import sqlite3

    from nashra.state.lines import OutletLineIndex

    chooser = random.Random(11)
    lines = ["سطر أول", "سطر ثان", "سطر ثالث", "سطر رابع"]
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("CREATE TABLE records (id TEXT PRIMARY KEY)")
    index = OutletLineIndex(conn)
    articles: dict[str, tuple[str, str, list[str]]] = {}

    def recurring() -> dict[str, set[int]]:
        return {i: index.lines(source, order, paragraphs) for i, (source, order, paragraphs) in articles.items()}

    named = 0
    for step in range(150):
        before = recurring()
        index.forget_changes()
        touched = set()  # articles added or changed: their digests are made anyway
        for _ in range(chooser.randrange(1, 4)):
            article = f"a{chooser.randrange(25)}"
            touched.add(article)
            if chooser.random() < 0.2 and article in articles:
                del articles[article]
                conn.execute("DELETE FROM records WHERE id = ?", (article,))
            else:
                articles[article] = (chooser.choice("AB"), f"{chooser.randrange(40):02d}|{article}",
                                     chooser.sample(lines, chooser.randrange(0, 4)))
                conn.execute("INSERT OR IGNORE INTO records VALUES (?)", (article,))
                index.add([(articles[article][0], article, articles[article][1], articles[article][2])])
        index.keep_recorded()
        after = recurring()
        changed = {i for i in after if i not in touched and after[i] != before[i]}
        affected = index.affected()
        assert changed <= affected, step
        named += len(affected)
    assert named < 150 * 25 / 2  # not every article every time


def test_the_lines_of_articles_without_a_record_are_forgotten_by_checking_only_the_articles_noted(tmp_path,
                                                                                                  monkeypatch):
    """Forgetting the lines of articles whose records went looks only at the articles whose record went (through
    any connection to the records) or whose lines were stored since the last check (a build stopped before it
    stored their records leaves them to the next); every article once, on records of a version before the notes."""
    from nashra.state.lines import OutletLineIndex
    from nashra.state.records import RecordStore

    path = tmp_path / "records.sqlite3"
    store = RecordStore(path)
    conn = store.connection
    for article_id in ("a0", "a1", "a2"):
        conn.execute("INSERT INTO records (id) VALUES (?)", (article_id,))
    index = store.outlet_lines()
    index.add([("A", f"a{k}", f"0{k}", ["سطر يتكرر في كل مقالة"]) for k in range(4)])  # a3: its record never came
    looked_at: list[str] = []
    forget = OutletLineIndex._forget_unlisted

    def spy(self, ids_sql, among="outlet_lines INDEXED BY outlet_lines_article"):  # noqa: ANN001, ANN202
        looked_at.append(among)
        return forget(self, ids_sql, among)

    monkeypatch.setattr(OutletLineIndex, "_forget_unlisted", spy)

    def lines() -> set[str]:
        return {row[0] for row in conn.execute("SELECT article FROM outlet_lines")}

    index.keep_recorded()  # records of before the notes: every article looked at, once
    assert lines() == {"a0", "a1", "a2"} and looked_at == ["outlet_lines INDEXED BY outlet_lines_article"]
    index.keep_recorded()
    assert looked_at[-1] == "outlet_lines_to_check"
    other = RecordStore(path)  # another connection (another build) removes a record
    other.connection.execute("DELETE FROM records WHERE id = 'a1'")
    other.close()
    index.add([("A", "a4", "04", ["سطر يتكرر في كل مقالة"])])  # stored; its record is not (a build stopped)
    assert conn.execute("SELECT count(*) FROM outlet_lines_to_check").fetchone()[0] == 2
    index.keep_recorded()
    assert lines() == {"a0", "a2"} and looked_at[-1] == "outlet_lines_to_check"
    assert conn.execute("SELECT count(*) FROM outlet_lines_to_check").fetchone()[0] == 0
    store.close()
