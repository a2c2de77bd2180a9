"""The learned pair model: gradient-boosted trees, evaluated in plain Python.

The model is trained offline with LightGBM (`bench/pair_model.py`, which says how it was made
and on what) and shipped as `pair_model.json`: the trees as flat lists plus the probability
threshold for a merge, calibrated for precision on the training set. Evaluating it needs no
third-party package, so LightGBM stays a training-only dependency (the `train` extra).

Without the file, or with `set_enabled(False)`, the engine runs its hand-weighted phase only.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

FORMAT = "scholarhub-pair-model/1"
MODEL_PATH = Path(__file__).with_name("pair_model.json")


class ModelFormatError(ValueError):
    """A model file that is not a pair model this code can evaluate."""


@dataclass(frozen=True)
class _Tree:
    # Per inner node: feature index, threshold, left child, right child (a child < 0 is the
    # leaf ~child); `values` holds the leaves' outputs.
    feature: tuple[int, ...]
    threshold: tuple[float, ...]
    left: tuple[int, ...]
    right: tuple[int, ...]
    values: tuple[float, ...]

    def output(self, row: Sequence[float]) -> float:
        if not self.feature:
            return self.values[0]
        node = 0
        while node >= 0:
            node = (
                self.left[node]
                if row[self.feature[node]] <= self.threshold[node]
                else self.right[node]
            )
        return self.values[~node]


@dataclass(frozen=True)
class TreeModel:
    """A sum of regression trees → logistic probability that two clusters are one person."""

    features: tuple[str, ...]
    trees: tuple[_Tree, ...]
    threshold: float
    provenance: dict[str, Any]

    def probability(self, row: Sequence[float]) -> float:
        if len(row) != len(self.features):
            raise ValueError(f"expected {len(self.features)} features, got {len(row)}")
        raw = sum(tree.output(row) for tree in self.trees)
        if raw < -60:
            return 0.0
        return 1.0 / (1.0 + math.exp(-raw))

    @cached_property
    def _headroom(self) -> tuple[float, ...]:
        # headroom[k]: the most the trees from k on can still add (their largest leaves).
        room = [0.0] * (len(self.trees) + 1)
        for index in range(len(self.trees) - 1, -1, -1):
            room[index] = room[index + 1] + max(self.trees[index].values)
        return tuple(room)

    def probability_if_at_least(self, row: Sequence[float], floor: float) -> float:
        """The probability when it reaches `floor`, else 0.0 — found as soon as the trees
        left cannot lift the sum to `floor`, so most pairs cost a few trees, not all."""
        if len(row) != len(self.features):
            raise ValueError(f"expected {len(self.features)} features, got {len(row)}")
        if not 0.0 < floor < 1.0:
            return self.probability(row) if floor <= 0.0 else 0.0
        needed = math.log(floor / (1.0 - floor))
        room = self._headroom
        raw = 0.0
        for index, tree in enumerate(self.trees):
            if raw + room[index] < needed:
                return 0.0
            raw += tree.output(row)
        probability = 1.0 / (1.0 + math.exp(-raw)) if raw >= -60 else 0.0
        return probability if probability >= floor else 0.0


def _tree(raw: object, width: int, where: str) -> _Tree:
    if not isinstance(raw, dict):
        raise ModelFormatError(f"{where} is not an object")
    try:
        tree = _Tree(
            feature=tuple(int(v) for v in raw["feature"]),
            threshold=tuple(float(v) for v in raw["threshold"]),
            left=tuple(int(v) for v in raw["left"]),
            right=tuple(int(v) for v in raw["right"]),
            values=tuple(float(v) for v in raw["values"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ModelFormatError(f"{where}: {error}") from error
    inner = len(tree.feature)
    if not (len(tree.threshold) == len(tree.left) == len(tree.right) == inner):
        raise ModelFormatError(f"{where}: node lists of different lengths")
    if len(tree.values) != inner + 1:
        raise ModelFormatError(f"{where}: {inner} inner nodes need {inner + 1} leaves")
    if any(not 0 <= f < width for f in tree.feature):
        raise ModelFormatError(f"{where}: a feature index out of range")
    for child in tree.left + tree.right:
        # Children point forward (no loops) or to a leaf.
        if child >= inner or ~child >= inner + 1:
            raise ModelFormatError(f"{where}: a child index out of range")
    for node in range(inner):
        if 0 <= tree.left[node] <= node or 0 <= tree.right[node] <= node:
            raise ModelFormatError(f"{where}: node {node} points backwards")
    if not all(math.isfinite(v) for v in tree.threshold + tree.values):
        raise ModelFormatError(f"{where}: a threshold or leaf is not finite")
    return tree


def model_from_dict(data: object, expected: Sequence[str]) -> TreeModel:
    """Check and build a model from its JSON; its features must be `expected`, in order."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ModelFormatError(f"not a {FORMAT} document")
    features = data.get("features")
    if not isinstance(features, list) or tuple(features) != tuple(expected):
        raise ModelFormatError("the model's features differ from the engine's")
    threshold = data.get("threshold")
    if not isinstance(threshold, (int, float)) or not 0.0 < threshold < 1.0:
        raise ModelFormatError("threshold must be a probability between 0 and 1")
    trees = data.get("trees")
    if not isinstance(trees, list) or not trees:
        raise ModelFormatError("trees must be a non-empty list")
    provenance = data.get("provenance")
    return TreeModel(
        features=tuple(features),
        trees=tuple(_tree(t, len(features), f"tree {n}") for n, t in enumerate(trees)),
        threshold=float(threshold),
        provenance=provenance if isinstance(provenance, dict) else {},
    )


def load_model(path: Path, expected: Sequence[str]) -> TreeModel:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ModelFormatError(f"{path}: {error}") from error
    return model_from_dict(data, expected)


_state: dict[str, Any] = {"enabled": True, "model": None, "loaded": False}


def set_enabled(enabled: bool) -> None:
    """Switch the learned phase on or off for this process (off: hand weights only)."""
    _state["enabled"] = enabled


def set_model(model: TreeModel | None) -> None:
    """Use this model instead of the shipped file (training and tests)."""
    _state["model"] = model
    _state["loaded"] = True


def active_model() -> TreeModel | None:
    """The model in use, loading the shipped file once; None when off or absent."""
    if not _state["enabled"]:
        return None
    if not _state["loaded"]:
        from scopus_sandbox.disambiguation.engine import FEATURES

        _state["model"] = load_model(MODEL_PATH, FEATURES) if MODEL_PATH.exists() else None
        _state["loaded"] = True
    model: TreeModel | None = _state["model"]
    return model
