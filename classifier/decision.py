"""Decision: the fitted scoring model turns a pair's features into a probability, and a band.

The model is a logistic regression fitted by ``bench/fit.py`` on the development
pool; its coefficients, the features' means and scales and the two thresholds
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

    def logit(self, vector: dict[str, float]) -> float:
        return self._bias + sum(weight * vector[name] for name, weight in self._weights)

    @functools.cached_property
    def _weights(self) -> tuple[tuple[str, float], ...]:
        """Each feature's coefficient over its scale: z = bias + Σ weight · value (standardising folded in)."""
        return tuple((name, c / s) for name, s, c in zip(self.features, self.scales, self.coefficients))

    @functools.cached_property
    def _bias(self) -> float:
        return self.intercept - math.fsum(c * m / s for m, s, c in zip(self.means, self.scales, self.coefficients))

    def probability(self, vector: dict[str, float]) -> float:
        return _sigmoid(self.logit(vector))

    def highest(self, vector: dict[str, float], free: dict[str, tuple[float, ...]]) -> float:
        """The highest probability ``vector`` can reach whatever values (among those given) the ``free``
        features take: the model is linear, so each takes the value that raises it most."""
        z = self.logit(vector)
        for name, mean, scale, coefficient in zip(self.features, self.means, self.scales, self.coefficients):
            if name in free:
                z += max(coefficient * (value - vector[name]) / scale for value in free[name])
        return _sigmoid(z)

    @property
    def shown_from(self) -> float:
        """The lowest probability at which an item appears in an answer at all (as a near miss)."""
        return self.review / 2

    def band(self, probability: float) -> str:
        return ACCEPT if probability >= self.accept else REVIEW if probability >= self.review else NOTHING

    @classmethod
    def from_dict(cls, spec: dict, expected: tuple[str, ...] | None = None) -> "Model":
        names = tuple(spec["features"])
        if expected is not None and set(names) - set(expected):
            raise ModelError(f"mô hình dùng đặc trưng không có trong mã: {sorted(set(names) - set(expected))}")
        scales = tuple(float(s) or 1.0 for s in spec["scales"])
        return cls(names, tuple(map(float, spec["means"])), scales, tuple(map(float, spec["coefficients"])),
                   float(spec["intercept"]), float(spec["thresholds"]["accept"]),
                   float(spec["thresholds"]["review"]), dict(spec.get("meta", {})))


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))


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


LEVEL_RANK = {level.value: level.rank for level in Level}  # the one ordering (Level.rank)
MAX_REVIEW = 3


def decide(levels: list[str], probabilities: list[float], stopped: list[bool], item_ids: list[int],
           accept: float, review: float) -> Answer:
    """Accepted items count for the level; the review band never does; a stopped item is neither.

    The level is the highest accepted level (khoản 2 Điều 10 Luật 29/2018/QH14),
    whatever part of the list a caller later shows.
    """
    order = sorted(range(len(levels)), key=lambda i: (-probabilities[i], item_ids[i]))
    accepted = tuple(i for i in order if not stopped[i] and probabilities[i] >= accept)
    in_review = tuple(i for i in order if not stopped[i] and review <= probabilities[i] < accept)[:MAX_REVIEW]
    rejected = tuple(i for i in order if stopped[i])
    level = max((levels[i] for i in accepted), key=LEVEL_RANK.__getitem__, default=None)
    return Answer(accepted, in_review, rejected, level)
