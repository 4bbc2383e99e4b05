"""Publishing in place: a daily build stages what changed, and a journal applies it to the published site.

The published docs and site must end exactly as a whole build would make them
(no file left behind, none missing), a file the build did not change must not
be touched, and a build killed while it applies its journal is finished by the
next one.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from test_daily_build import articles, write_day

from nashra.errors import BuildError
from nashra.pipeline import build_briefing
from nashra.site import build, inplace
from nashra.site import pagebuild
from nashra.site.budget import measure
from nashra.site.build import recover
from nashra.site.labels import LANGUAGES
from nashra.site.options import SiteOptions
from nashra.site.pagebuild import PAGES_DB
from nashra.site.urls import html_file, split_docs_file
from nashra.state.pages import PageStore
from nashra.state.records import state_dir
from nashra.summarize import get_summarizer

pytestmark = pytest.mark.slow

TESTS = Path(__file__).resolve().parents[1]


def _tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _build(folder: Path, out: Path, translator, **options) -> None:
    build_briefing([folder], out, translator.impl, get_summarizer(), SiteOptions(jobs=1, **options))


def _recorded_size(out: Path) -> tuple[int, int]:
    records = PageStore(state_dir(out) / PAGES_DB)
    try:
        size_bytes, files = (records.get_meta(inplace.SIZE_KEY) or "").split()
    finally:
        records.close()
    return int(size_bytes), int(files)


def _published(tmp_path: Path, translator, days) -> tuple[Path, Path]:
    """A briefing of ``days`` (see ``write_day``) built into ``out``: (its articles' folder, ``out``)."""
    folder, out = articles(tmp_path, days), tmp_path / "out"
    _build(folder, out, translator)
    return folder, out


def _assert_records_describe_the_published_folders(out: Path) -> None:
    """The page records describe the published docs and site as they are: every docs file with its digest (of its
    path and content), and as the site's pages exactly the docs' pages whose HTML the site has in every language,
    each with the digest of its files."""
    conn = sqlite3.connect(state_dir(out) / PAGES_DB)
    try:
        files = dict(conn.execute("SELECT relative, digest FROM file_stamps"))
        pages = dict(conn.execute("SELECT page, digest FROM pages"))
    finally:
        conn.close()
    docs = out / "docs"
    on_disk = {path.relative_to(docs).as_posix(): path.read_bytes() for path in docs.rglob("*.md")}
    assert files == {relative: hashlib.sha256(relative.encode() + b"\0" + content).hexdigest()
                     for relative, content in on_disk.items()}
    of_page: dict[str, list[str]] = {}
    for relative in sorted(files):
        of_page.setdefault(split_docs_file(relative)[0], []).append(relative)
    expected = {page: hashlib.sha256("".join(f"{relative}\0{files[relative]}\n" for relative in relatives).encode())
                .hexdigest() for page, relatives in of_page.items()
                if all((out / "site" / html_file(page, lang)).is_file() for lang in LANGUAGES)}
    assert pages == expected


def test_builds_published_in_place_end_as_whole_builds_of_the_same_change(tmp_path, dict_translator, monkeypatch):
    folder, out = _published(tmp_path, dict_translator, (0, 1, 2))
    modes: list[bool] = []
    real = inplace.apply_folder

    def spy(staging, out_dir, name, in_place):
        modes.append(in_place)
        real(staging, out_dir, name, in_place)

    monkeypatch.setattr(inplace, "apply_folder", spy)
    forwarded: list[bool] = []
    scan_forward = pagebuild._scan_forward
    monkeypatch.setattr(pagebuild, "_scan_forward", lambda *args: forwarded.append(True) or scan_forward(*args))
    # Days added, a new month (its first day moves the search index's main part), articles removed, a day
    # in between.
    changes = [lambda: write_day(folder, 3), lambda: write_day(folder, 31),
               lambda: [p.unlink() for p in folder.glob("d001-*.md")], lambda: write_day(folder, 32),
               lambda: write_day(folder, 20)]
    for number, change in enumerate(changes):
        change()
        twin = tmp_path / f"twin-{number}"
        shutil.copytree(out, twin, symlinks=True)
        modes.clear()
        forwarded.clear()
        _build(folder, out, dict_translator)
        assert modes == [True, True] and forwarded == [True]  # the page records carried forward
        # The same change staged whole and swapped in, as a first build is.
        with monkeypatch.context() as whole:
            whole.setattr(build, "_can_publish_in_place", lambda previous: False)
            modes.clear()
            _build(folder, twin, dict_translator)
            assert modes == [False, False]
        assert not list(out.glob(".nashra-staging-*"))
        # Every file, both folders: none left behind by the pages and search parts that went, none missing.
        assert _tree(out / "docs") == _tree(twin / "docs"), number
        assert _tree(out / "site") == _tree(twin / "site"), number
        _assert_records_describe_the_published_folders(out)
        _assert_records_describe_the_published_folders(twin)
        size = measure(out / "site")
        assert _recorded_size(out) == (size.bytes, size.files)
        shutil.rmtree(twin)


def test_a_daily_build_does_not_touch_the_files_it_keeps(tmp_path, dict_translator):
    folder, out = _published(tmp_path, dict_translator, (0, 1, 8))
    kept = [out / "site" / "articles" / "d000-2.html", out / "site" / "ar" / "articles" / "d000-2.html",
            out / "docs" / "articles" / "d000-2.md"]
    kept = [path for path in kept if path.is_file()] + sorted((out / "site" / "pagefind" / "parts").rglob("*.pf_meta"))
    assert len(kept) >= 3
    # Linking a file into a new folder and removing the old one changes its status (its ctime); leaving it
    # where it is does not.
    before = {path: os.stat(path).st_ctime_ns for path in kept}
    write_day(folder, 9)
    _build(folder, out, dict_translator)
    assert {path: os.stat(path).st_ctime_ns for path in kept} == before


def test_a_published_page_removed_or_broken_by_hand_is_rendered_again_by_the_next_build(tmp_path, dict_translator):
    folder, out = _published(tmp_path, dict_translator, (0, 1))
    gone = sorted((out / "site" / "articles").glob("*.html"))[0]
    folded = sorted((out / "site" / "ar" / "articles").glob("*.html"))[-1]
    expected = {path: path.read_bytes() for path in (gone, folded)}
    gone.unlink()
    folded.unlink()
    folded.symlink_to(tmp_path / "nowhere.html")  # a dangling link where the page was: not a page
    _build(folder, out, dict_translator)  # nothing else changed
    assert all(path.is_file() and not path.is_symlink() for path in expected)
    assert {path: path.read_bytes() for path in expected} == expected
    _assert_records_describe_the_published_folders(out)


def test_a_published_docs_file_edited_by_hand_is_read_again_and_its_page_rendered(tmp_path, dict_translator):
    folder, out = _published(tmp_path, dict_translator, (0, 1))
    edited = sorted((out / "docs" / "articles").glob("*.en.md"))[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\n\nAn editor's note added by hand.\n", encoding="utf-8")
    _build(folder, out, dict_translator)  # the article itself unchanged: its docs file is kept as it is
    assert "added by hand" in edited.read_text(encoding="utf-8")
    page = out / "site" / html_file(split_docs_file(edited.relative_to(out / "docs").as_posix())[0], "en")
    assert "added by hand" in page.read_text(encoding="utf-8")
    _assert_records_describe_the_published_folders(out)


def test_pages_given_up_for_compact_entries_leave_the_published_site(tmp_path, dict_translator):
    folder, out = _published(tmp_path, dict_translator, range(0, 12))
    whole = measure(out / "site")
    articles = _tree(out / "site" / "articles")
    _build(folder, out, dict_translator, max_size=int(whole.bytes * 0.9))
    records = PageStore(state_dir(out) / PAGES_DB)
    try:
        cutoff = records.get_meta("compact_before")
    finally:
        records.close()
    assert cutoff
    # The oldest articles' pages are gone from the site (and from its records), the others kept as they were.
    left = _tree(out / "site" / "articles")
    assert left and len(left) < len(articles) and left.items() <= articles.items()
    size = measure(out / "site")
    assert _recorded_size(out) == (size.bytes, size.files) and size.bytes <= whole.bytes * 0.9
    _assert_records_describe_the_published_folders(out)
    # The budget raised: the pages given up come back, rendered from their docs (kept all along).
    _build(folder, out, dict_translator)
    assert _tree(out / "site" / "articles") == articles
    _assert_records_describe_the_published_folders(out)


def _published_and_twin(tmp_path: Path, translator) -> tuple[Path, Path, Path]:
    """Two days published in ``out``, a third day written; ``twin``: a copy of ``out`` with it built."""
    folder, out = _published(tmp_path, translator, (0, 1))
    write_day(folder, 2)
    twin = tmp_path / "twin"
    shutil.copytree(out, twin, symlinks=True)
    _build(folder, twin, translator)
    return folder, out, twin


def test_a_publication_cut_short_is_finished_by_the_next_build(tmp_path, dict_translator, monkeypatch):
    folder, out, twin = _published_and_twin(tmp_path, dict_translator)

    real = inplace.apply_folder

    def fail_on_site(staging, out_dir, name, in_place):
        if name == "site":
            raise OSError("simulated: the machine stopped")
        real(staging, out_dir, name, in_place)

    monkeypatch.setattr(inplace, "apply_folder", fail_on_site)
    with pytest.raises(BuildError, match="cut short: simulated.*the next build finishes publishing it"):
        _build(folder, out, dict_translator)
    assert [p for p in out.glob(".nashra-staging-*") if inplace.committed(p)]  # the journal is kept
    monkeypatch.undo()
    recover(out)
    assert not list(out.glob(".nashra-staging-*"))
    assert _tree(out / "site") == _tree(twin / "site") and _tree(out / "docs") == _tree(twin / "docs")


#: A build whose process is killed (SIGKILL) once the journal has removed the first file from the published site.
KILLING_DRIVER = f"""
import os
import signal
import sys
from pathlib import Path

sys.path[:0] = [{str(TESTS)!r}]
from conftest import DictTranslator
from nashra.errors import BuildError
from nashra.pipeline import build_briefing
from nashra.site import build, inplace
from nashra.site.options import SiteOptions
from nashra.summarize import get_summarizer

real = inplace._move_all


def killed(source, target):
    if source.name == "site":
        os.kill(os.getpid(), signal.SIGKILL)
    return real(source, target)


if __name__ == "__main__":
    if sys.argv[3] == "kill":
        inplace._move_all = killed
    build_briefing([Path(sys.argv[1])], Path(sys.argv[2]), DictTranslator().impl, get_summarizer(),
                   SiteOptions(jobs=1))
"""


def test_a_build_killed_while_publishing_in_place_is_finished_by_the_next(tmp_path, dict_translator):
    driver = tmp_path / "driver.py"
    driver.write_text(KILLING_DRIVER, encoding="utf-8")
    folder, out, twin = _published_and_twin(tmp_path, dict_translator)

    def run(mode: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, str(driver), str(folder), str(out), mode], capture_output=True,
                              text=True, timeout=600, check=False)

    killed = run("kill")
    assert killed.returncode == -9, killed.stderr
    assert _tree(out / "docs") == _tree(twin / "docs")  # the docs were published before the kill
    finished = run("finish")
    assert finished.returncode == 0, finished.stderr
    assert "finishing the publication" in finished.stderr
    assert _tree(out / "site") == _tree(twin / "site") and _tree(out / "docs") == _tree(twin / "docs")


def test_page_records_that_cannot_be_copied_are_made_anew_with_a_warning(tmp_path, dict_translator, monkeypatch,
                                                                         caplog):
    folder, out, twin = _published_and_twin(tmp_path, dict_translator)

    def cannot_copy(previous, path):
        raise BuildError(f"cannot copy the page records {previous}: simulated")

    monkeypatch.setattr(PageStore, "carried_forward", staticmethod(cannot_copy))
    _build(folder, out, dict_translator)
    assert "every page's records are made again" in caplog.text
    assert _tree(out / "site") == _tree(twin / "site") and _tree(out / "docs") == _tree(twin / "docs")
    _assert_records_describe_the_published_folders(out)


def test_kept_files_are_listed_with_their_stamps_and_refused_unless_regular(tmp_path: Path) -> None:
    base = tmp_path / "docs"
    (base / "articles").mkdir(parents=True)
    for name in ("a.en.md", "a.ar.md", "b.en.md"):
        (base / "articles" / name).write_text(name, encoding="utf-8")
    (base / "articles" / "folder.md").mkdir()
    (base / "articles" / "link.md").symlink_to(base / "articles" / "b.en.md")
    (base / "articles" / "dangling.md").symlink_to(base / "nowhere.md")
    kept = inplace.Kept(base, tmp_path / "kept.list")
    assert kept.keep(["articles/a.en.md", "articles/a.ar.md"])
    # One file that is not a regular file there refuses the whole call, none of its files listed.
    for files in (["articles/b.en.md", "articles/missing.md"], ["articles/folder.md"], ["articles/dangling.md"],
                  ["articles/b.en.md", "articles\0x.md"]):
        assert not kept.keep(files), files
    assert kept.keep(["articles/link.md"])  # a link is followed to a regular file
    kept.close()
    listed = list(kept)
    assert [relative for relative, _ in listed] == ["articles/a.en.md", "articles/a.ar.md", "articles/link.md"]
    assert kept.count == 3
    for relative, stamp in listed:
        info = os.stat(base / relative)
        assert stamp == f"{info.st_dev}:{info.st_ino}:{info.st_size}:{info.st_mtime_ns}"
    kept.close()  # closing twice is nothing
    # A build that stops while writing its docs closes the list without writing what it holds (it is not read).
    stopped = inplace.Kept(base, tmp_path / "stopped.list")
    assert stopped.keep(["articles/a.en.md"])
    stopped.close(write=False)
    assert list(stopped) == []
