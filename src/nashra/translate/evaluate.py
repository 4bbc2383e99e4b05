"""Check a model on a reference test set: BLEU and chrF (sacrebleu), and how often each flag fires.

For newsrooms with the real weights and a parallel test set — FLORES-200
(``arb_Arab`` / ``eng_Latn``), NTREX-128, TICO-19, or their own articles
translated by people — one sentence per line in a source and a reference
file.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError, MissingDependencyError, shown_path
from ..progress import ProgressFactory, no_progress
from .base import Translator
from ..quality import KINDS, check_all, count_kinds, length_ratio


@dataclass
class Evaluation:
    """Scores of a model's translations against references, and its flags' rates."""

    model: str
    engine: str
    sentences: int
    bleu: float
    chrf: float
    #: Share of the sentences each kind of flag marks, and "any" for one flag or more.
    flag_shares: dict[str, float] = field(default_factory=dict)
    #: Translation/source character ratios: 1st percentile, median, 99th percentile.
    length_ratios: tuple[float, float, float] = (0.0, 0.0, 0.0)
    bleu_signature: str = ""
    chrf_signature: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"model": self.model, "engine": self.engine, "sentences": self.sentences, "bleu": round(self.bleu, 2),
                "chrf": round(self.chrf, 2), "flags": {k: round(v, 4) for k, v in self.flag_shares.items()},
                "length_ratio": dict(zip(("p01", "median", "p99"), (round(r, 3) for r in self.length_ratios), strict=True)),
                "bleu_signature": self.bleu_signature, "chrf_signature": self.chrf_signature}


def read_parallel(source_text: str, reference_text: str, source_name: str = "source",
                  reference_name: str = "reference") -> tuple[list[str], list[str]]:
    """Aligned non-empty lines of a source and a reference file; different line counts are an error."""
    from ..text.lines import split_lines

    sources, references = split_lines(source_text), split_lines(reference_text)
    while sources and not sources[-1].strip() and len(sources) > len(references):
        sources.pop()
    while references and not references[-1].strip() and len(references) > len(sources):
        references.pop()
    if len(sources) != len(references):
        raise InputError(reference_name, f"{len(references)} line{'s' if len(references) != 1 else ''} for the {len(sources)} of {source_name}; "
                                         "the files must be aligned line by line")
    for number, (source, reference) in enumerate(zip(sources, references, strict=True), 1):
        if bool(source.strip()) != bool(reference.strip()):  # a shifted pair, or a sentence without its reference
            empty, other = (source_name, reference_name) if reference.strip() else (reference_name, source_name)
            raise InputError(empty, f"line {number} is empty but line {number} of {shown_path(other)} is not; "
                                    "the files must be aligned line by line")
    pairs = [(s.strip(), r.strip()) for s, r in zip(sources, references, strict=True) if s.strip()]
    if not pairs:
        raise InputError(source_name, "no sentences to translate")
    return [s for s, _ in pairs], [r for _, r in pairs]


def _percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def evaluate(translator: Translator, sources: Sequence[str], references: Sequence[str],
             progress: ProgressFactory = no_progress) -> Evaluation:
    """Translate ``sources`` and score the translations against ``references``."""
    try:
        import sacrebleu
    except ImportError as exc:
        raise MissingDependencyError("sacrebleu", extra="evaluate", purpose="for nashra evaluate") from exc
    hypotheses = translator.translate(list(sources), progress=progress)
    bleu = sacrebleu.metrics.BLEU()
    chrf = sacrebleu.metrics.CHRF()
    bleu_score = bleu.corpus_score(hypotheses, [list(references)])
    chrf_score = chrf.corpus_score(hypotheses, [list(references)])
    flags = check_all(sources, hypotheses)
    counts = count_kinds(flags)
    total = len(sources)
    shares = {k: counts.get(k, 0) / total for k in KINDS}
    shares["any"] = sum(1 for f in flags if f) / total
    ratios = [length_ratio(s, h) for s, h in zip(sources, hypotheses, strict=True) if h.strip()]
    return Evaluation(
        model=translator.model_id, engine=translator.engine, sentences=total, bleu=bleu_score.score,
        chrf=chrf_score.score, flag_shares=shares,
        length_ratios=(_percentile(ratios, 0.01), statistics.median(ratios) if ratios else 0.0, _percentile(ratios, 0.99)),
        bleu_signature=str(bleu.get_signature()), chrf_signature=str(chrf.get_signature()),
    )


def format_evaluation(result: Evaluation) -> str:
    """The evaluation as a short plain-text report."""
    lines = [f"{result.model} ({result.engine} engine), {result.sentences} sentences",
             "",
             f"BLEU  {result.bleu:6.2f}   {result.bleu_signature}",
             f"chrF  {result.chrf:6.2f}   {result.chrf_signature}",
             "",
             "share of sentences flagged"]
    lines += [f"  {name:<11}{share:7.1%}" for name, share in result.flag_shares.items()]
    low, median, high = result.length_ratios
    lines += ["", f"length ratio (translation / source characters): 1st percentile {low:.2f}, median {median:.2f}, "
                  f"99th percentile {high:.2f}",
              "(NASHRA_LENGTH_RATIO=MIN:MAX sets the length flag's bounds; the defaults are 0.5:3.0)"]
    return "\n".join(lines)
