"""Decision: the fitted scoring model turns a pair's features into a probability, and a band.

The model is a logistic regression fitted by ``bench/fit.py`` on the development
pool; its coefficients, the features' means and scales and the three thresholds
(chosen by cross-validation with an explicit cost, README "Cách phân loại") are
data in ``data/classifier-model.json``. It is applied here in plain Python.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from pathlib import Path

from cancu.ingest.build import shipped_data_dir
from cancu.ingest.model import Level

ACCEPT, REVIEW, NOTHING = "accept", "review", "nothing"


class ModelError(ValueError):
    """The model file is missing, malformed, or does not fit the features the code computes."""


@dataclass(frozen=True)
class Model:
    features: tuple[str, ...]
    means: tuple[float, ...]
    scales: tuple[float, ...]
    coefficients: tuple[float, ...]
    intercept: float
    accept: float  # probability at or above which an item applies and counts for the level
    review: float  # probability at or above which it is listed as "cần xem xét"
    meta: dict
    # probability an accepted item needs to raise the level above that of the best accepted item;
    # below it the item goes to review. None (a model file without it) means ``accept``: no extra bar.
    raise_: float | None = None

    def __post_init__(self) -> None:
        if self.raise_ is None:
            object.__setattr__(self, "raise_", self.accept)

    def probability(self, vector: dict[str, float]) -> float:
        z = self.intercept + sum(c * (vector[name] - m) / s for name, m, s, c in
                                 zip(self.features, self.means, self.scales, self.coefficients))
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))

    def band(self, probability: float) -> str:
        return ACCEPT if probability >= self.accept else REVIEW if probability >= self.review else NOTHING

    @classmethod
    def from_dict(cls, spec: dict, expected: tuple[str, ...] | None = None) -> "Model":
        names = tuple(spec["features"])
        if expected is not None and set(names) - set(expected):
            raise ModelError(f"mô hình dùng đặc trưng không có trong mã: {sorted(set(names) - set(expected))}")
        scales = tuple(float(s) or 1.0 for s in spec["scales"])
        thresholds = spec["thresholds"]
        return cls(names, tuple(map(float, spec["means"])), scales, tuple(map(float, spec["coefficients"])),
                   float(spec["intercept"]), float(thresholds["accept"]), float(thresholds["review"]),
                   dict(spec.get("meta", {})), float(thresholds.get("raise", thresholds["accept"])))


def model_path() -> Path:
    return shipped_data_dir() / "classifier-model.json"


@functools.lru_cache(maxsize=4)
def load_model(path: Path | None = None) -> Model:
    from .features import FEATURES

    path = path or model_path()
    try:
        return Model.from_dict(json.loads(path.read_text(encoding="utf-8")), FEATURES)
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ModelError(f"{path}: không đọc được mô hình phân loại: {error}") from None


@dataclass(frozen=True)
class Answer:
    """The bands of one draft's candidates (indexes into the list given), best first."""

    accepted: tuple[int, ...]
    review: tuple[int, ...]
    rejected: tuple[int, ...]  # stopped by a condition or restrictor, best first
    level: str | None
    held: tuple[int, ...] = ()  # in review because they would raise the level without reaching ``raise_``


LEVEL_RANK = {level.value: level.rank for level in Level}  # the one ordering (Level.rank)
MAX_REVIEW = 3


def decide(levels: list[str], probabilities: list[float], stopped: list[bool], item_ids: list[int],
           accept: float, review: float, raise_: float | None = None) -> Answer:
    """Accepted items count for the level; the review band never does; a stopped item is neither.

    The level is the highest accepted level (khoản 2 Điều 10 Luật 29/2018/QH14),
    whatever part of the list a caller later shows. An item above ``accept`` whose
    level is higher than that of the best accepted item is accepted only at
    ``raise_`` or above (a weaker second item should not decide the level alone);
    otherwise it is held in review, ahead of the items below ``accept``. With
    ``raise_`` None or equal to ``accept`` nothing is held.
    """
    raise_ = accept if raise_ is None else raise_
    order = sorted(range(len(levels)), key=lambda i: (-probabilities[i], item_ids[i]))
    above = [i for i in order if not stopped[i] and probabilities[i] >= accept]
    accepted, held, floor = [], [], 0
    for i in above:
        if accepted and LEVEL_RANK[levels[i]] > floor and probabilities[i] < raise_:
            held.append(i)
        else:
            accepted.append(i)
            floor = max(floor, LEVEL_RANK[levels[i]])
    accepted, held = tuple(accepted), tuple(held)
    below = tuple(i for i in order if not stopped[i] and review <= probabilities[i] < accept)
    in_review = (held + below)[:MAX_REVIEW]
    rejected = tuple(i for i in order if stopped[i])
    level = max((levels[i] for i in accepted), key=LEVEL_RANK.__getitem__, default=None)
    return Answer(accepted, in_review, rejected, level, held)
