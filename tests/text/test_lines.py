"""Lines as files count them."""

import pytest

from nashra.text.lines import split_lines


@pytest.mark.parametrize("text", ["", "a", "a\n", "a\n\nb", "a\r\nb\r\n", "a\rb", "\n", "a\n\n"])
def test_same_as_splitlines_for_line_breaks(text):
    assert split_lines(text) == text.splitlines()


def test_other_separators_stay_inside_the_line():
    assert split_lines("a\u2028b\x0cc\x85d\n") == ["a\u2028b\x0cc\x85d"]
