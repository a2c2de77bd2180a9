"""Quality of a clustering against known truth: B-cubed and pairwise precision / recall / F1."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Scores:
    """Precision, recall and F1 of one measure."""

    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def _labels(clusters: Sequence[Sequence[str]]) -> dict[str, int]:
    return {sid: index for index, members in enumerate(clusters) for sid in members}


def b_cubed(predicted: Sequence[Sequence[str]], truth: Mapping[str, str]) -> Scores:
    """B-cubed over the signatures present in both: mean per-signature precision and recall."""
    predicted_of = _labels(predicted)
    ids = [sid for sid in predicted_of if sid in truth]
    if not ids:
        return Scores(0.0, 0.0)
    joint = Counter((predicted_of[sid], truth[sid]) for sid in ids)
    predicted_size = Counter(predicted_of[sid] for sid in ids)
    truth_size = Counter(truth[sid] for sid in ids)
    precision = recall = 0.0
    for (cluster, person), count in joint.items():
        # Each of the `count` signatures sees `count` correct neighbours (itself included).
        precision += count * count / predicted_size[cluster]
        recall += count * count / truth_size[person]
    return Scores(precision / len(ids), recall / len(ids))


def pairwise(predicted: Sequence[Sequence[str]], truth: Mapping[str, str]) -> Scores:
    """Pairwise: of the signature pairs put together, how many are right, and how many found."""
    predicted_of = _labels(predicted)
    ids = [sid for sid in predicted_of if sid in truth]
    joint = Counter((predicted_of[sid], truth[sid]) for sid in ids)
    predicted_size = Counter(predicted_of[sid] for sid in ids)
    truth_size = Counter(truth[sid] for sid in ids)

    def pairs(counter: Counter[object]) -> int:
        return sum(n * (n - 1) // 2 for n in counter.values())

    correct = pairs(joint)  # type: ignore[arg-type]
    made = pairs(predicted_size)  # type: ignore[arg-type]
    wanted = pairs(truth_size)  # type: ignore[arg-type]
    return Scores(correct / made if made else 1.0, correct / wanted if wanted else 1.0)
