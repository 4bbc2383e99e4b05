import numpy as np
import pytest

from nashra.text.graph import overlap, pagerank, tfidf_matrix


def test_pagerank_and_tfidf_basics():
    matrix = tfidf_matrix([["a", "b"], ["a"], []])
    assert np.allclose(np.linalg.norm(matrix[:2], axis=1), 1.0)
    assert not matrix[2].any()
    ranks = pagerank(np.array([[0, 1.0, 1.0], [1.0, 0, 0], [1.0, 0, 0]]))
    assert ranks[0] > ranks[1] == pytest.approx(ranks[2])
    assert ranks.sum() == pytest.approx(1.0)
    assert pagerank(np.zeros((0, 0))).size == 0


def test_overlap_is_the_share_of_the_smaller_set():
    assert overlap(["a", "b"], ["a", "b", "c", "d"]) == pytest.approx(1.0)
    assert overlap(["a", "b", "c", "d"], ["a", "x"]) == pytest.approx(0.5)
    assert overlap([], ["a"]) == 0.0
