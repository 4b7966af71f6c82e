"""Request streams over partition-key values: the good and bad keys of the article's cardinality table.

The table ([src:cardinality-table], quoted in the second source article):

| partition key value | uniformity |
|---|---|
| user ID, where the application has many users | good |
| status code, where there are only a few possible codes | bad |
| item creation date, rounded to the nearest period (day, hour, minute) | bad |
| device ID, where each device accesses data at relatively similar intervals | good |
| device ID, where one device is used far more than all the others | bad |

A ``KeyDistribution`` holds a key vocabulary (the distinct values: its *cardinality*) and the probability a
request asks for each one. ``sample(n, seed)`` draws a seeded request stream as indices into the vocabulary; the
vocabulary's hashes are computed once (``hashes``), so the simulator places a million requests with one gather.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import Any

import numpy as np

from dynalab.i18n import N_, tr
from dynalab.models import checks
from dynalab.models._shown import Shown
from dynalab.models.partitions import MAX_HASHED_KEYS, key_hashes

#: The longest request stream ``sample`` draws (it is held in memory: 10 million int64 are 80 MB).
MAX_SAMPLED_REQUESTS = 10_000_000
#: dynalab's bound on a vocabulary's distinct keys (users, devices): each is made and hashed in Python (a million
#: took 6 s), so it is the most ``key_hashes`` hashes at once; the lesson's defaults are 100,000 users and 10,000
#: devices.
MAX_DISTINCT_KEYS = MAX_HASHED_KEYS
#: distributions kept by ``key_distribution`` (the least recently used goes first): a slider over ``users`` made a
#: new one per value, each held for good (100,000 users are about 10 MB)
CACHED_DISTRIBUTIONS = 8

__all__ = [
    "CARDINALITY_TABLE",
    "DISTRIBUTIONS",
    "KeyDistribution",
    "creation_dates",
    "device_ids",
    "key_distribution",
    "status_codes",
    "user_ids",
]

#: the article's table, as (key, uniformity, the distribution that models it); the texts show themselves in the
#: current language (``Shown``)
CARDINALITY_TABLE: tuple[tuple[str, str, str], ...] = (
    (Shown(N_("user ID, many users")), Shown(N_("good")), "user_ids"),
    (Shown(N_("status code, a few possible codes")), Shown(N_("bad")), "status_codes"),
    (Shown(N_("item creation date, rounded to the day")), Shown(N_("bad")), "creation_dates"),
    (Shown(N_("device ID, devices used at similar intervals")), Shown(N_("good")), "device_ids"),
    (Shown(N_("device ID, one device used far more than the others")), Shown(N_("bad")), "skewed_device_ids"),
)


@dataclass(frozen=True, eq=False)  # eq=False: numpy weights; identity is equality
class KeyDistribution:
    """Distinct partition-key values and how often a request asks for each."""

    name: str
    description: str
    uniformity: str  # "good" or "bad", as the article's table says
    keys: tuple[str, ...]
    weights: np.ndarray = field(repr=False)  # probabilities, summing to 1

    @property
    def cardinality(self) -> int:
        return len(self.keys)

    @cached_property
    def hashes(self) -> np.ndarray:
        """The model hash of every key (computed once; see ``dynalab.models.partitions.key_hashes``)."""
        return key_hashes(self.keys)

    @property
    def top_key_share(self) -> float:
        """The share of requests that go to the most requested key."""
        return float(self.weights.max())

    def sample(self, requests: int, seed: int = 0) -> np.ndarray:
        """A seeded stream of ``requests`` requests, as indices into ``keys`` (int64)."""
        # at most 10 million: a stream is held in memory (1e12 requests would ask for 7 TiB)
        requests = checks.number("requests", requests, low=1, high=MAX_SAMPLED_REQUESTS, integer=True)
        seed = checks.number("seed", seed, low=0, high=2**63 - 1, integer=True)
        rng = np.random.default_rng(seed)
        if np.all(self.weights == self.weights[0]):
            return rng.integers(0, self.cardinality, size=int(requests), dtype=np.int64)
        # inverse-CDF sampling: one searchsorted, much faster than rng.choice(p=...) for big vocabularies
        cumulative = np.cumsum(self.weights)
        cumulative[-1] = 1.0
        return np.searchsorted(cumulative, rng.random(int(requests)), side="right").astype(np.int64)

    def sample_keys(self, requests: int, seed: int = 0) -> list[str]:
        """The same stream as key values (for loading a table)."""
        return [self.keys[i] for i in self.sample(requests, seed)]


def _whole(name: str, value: Any, minimum: int, maximum: int) -> int:
    unit = N_("dynalab's simulation limit") if maximum == MAX_DISTINCT_KEYS else ""
    return checks.number(name, value, low=minimum, high=maximum, integer=True, unit=unit)


def _real(name: str, value: Any, minimum: float, maximum: float) -> float:
    return float(checks.number(name, value, low=minimum, high=maximum))


def _normalised(weights: np.ndarray) -> np.ndarray:
    weights = np.asarray(weights, dtype=np.float64)
    return weights / weights.sum()


def user_ids(users: int = 100_000) -> KeyDistribution:
    """Many users, each about as active as the others: good."""
    count = _whole("users", users, 1, MAX_DISTINCT_KEYS)
    return KeyDistribution("user_ids", tr("user ID, {count:,} users equally active", count=count), "good",
                           tuple(f"user-{i:07d}" for i in range(count)), np.full(count, 1.0 / count))


#: HTTP-like status codes and how often a log of requests carries each (a made-up but typical mix)
_STATUS_MIX = {"200": 0.80, "201": 0.05, "204": 0.03, "301": 0.01, "304": 0.04,
               "400": 0.02, "403": 0.01, "404": 0.025, "500": 0.01, "503": 0.005}


def status_codes(codes: int = len(_STATUS_MIX)) -> KeyDistribution:
    """A few status codes, one of them ("200") on most requests: bad."""
    count = _whole("codes", codes, 1, len(_STATUS_MIX))
    keys = tuple(_STATUS_MIX)[:count]
    return KeyDistribution("status_codes", tr("status code, {count} possible codes", count=count), "bad", keys,
                           _normalised(np.array([_STATUS_MIX[k] for k in keys])))


def creation_dates(days: int = 30, recent_share: float = 0.5, today: date = date(2024, 8, 19)) -> KeyDistribution:
    """Item creation dates rounded to the day; each day back gets ``recent_share`` times fewer requests than the
    next (new items are the busy ones), so today's date takes the bulk: bad."""
    count = _whole("days", days, 1, 36_600)
    share = _real("recent_share", recent_share, 0.0, 1.0)
    checks.instance("today", today, date)
    keys = tuple((today - timedelta(days=age)).isoformat() for age in range(count))
    return KeyDistribution("creation_dates", tr("creation date rounded to the day, last {count} days",
                                                count=count), "bad", keys,
                           _normalised(share ** np.arange(count, dtype=np.float64)))


def device_ids(devices: int = 10_000, zipf_exponent: float = 0.0) -> KeyDistribution:
    """Device IDs; device of rank r gets weight 1 / r**zipf_exponent. 0 = all devices alike (good); around 1.2
    or more, a few devices carry most of the traffic (bad)."""
    count = _whole("devices", devices, 1, MAX_DISTINCT_KEYS)
    exponent = _real("zipf_exponent", zipf_exponent, 0.0, 5.0)
    weights = 1.0 / np.arange(1, count + 1, dtype=np.float64) ** exponent
    skewed = exponent > 0
    description = (tr("device ID, {count:,} devices, Zipf exponent {exponent:g}",
                      count=count, exponent=exponent) if skewed
                   else tr("device ID, {count:,} devices used at similar intervals", count=count))
    return KeyDistribution("skewed_device_ids" if skewed else "device_ids", description,
                           "bad" if exponent >= 1.0 else "good",
                           tuple(f"device-{i:06d}" for i in range(count)), _normalised(weights))


def skewed_device_ids(devices: int = 10_000, zipf_exponent: float = 1.5) -> KeyDistribution:
    """Device IDs where one device is used far more than all others (Zipf-skewed): bad."""
    return device_ids(devices, zipf_exponent)


#: name -> factory with the defaults the lesson uses
DISTRIBUTIONS: dict[str, Callable[..., KeyDistribution]] = {
    "user_ids": user_ids,
    "status_codes": status_codes,
    "creation_dates": creation_dates,
    "device_ids": device_ids,
    "skewed_device_ids": skewed_device_ids,
}

_CACHE: dict[tuple, KeyDistribution] = {}


def key_distribution(name: str, **parameters: Any) -> KeyDistribution:
    """A distribution by name (one of ``DISTRIBUTIONS``), cached so its key hashes are computed once."""
    if not isinstance(name, str) or name not in DISTRIBUTIONS:
        raise ValueError(tr("name must be one of {choices}, got {name!r:.60}", choices=", ".join(DISTRIBUTIONS),
                            name=name))
    accepted = inspect.signature(DISTRIBUTIONS[name]).parameters
    for parameter, value in parameters.items():
        if parameter not in accepted:
            raise checks.ParameterTypeError(tr("{parameter} is not a parameter of {name!r}; it takes {accepted}",
                                               parameter=parameter, name=name,
                                               accepted=", ".join(accepted) or tr("none")))
        try:
            hash(value)
        except TypeError:
            raise checks.ParameterTypeError(tr("{parameter} must be a number, got {value!r:.60}",
                                               parameter=parameter, value=value)) from None
    cache_key = (name, tuple(sorted(parameters.items())))
    if cache_key not in _CACHE:
        made = DISTRIBUTIONS[name](**parameters)  # checks first: a refused value leaves the cache as it was
        while len(_CACHE) >= CACHED_DISTRIBUTIONS:
            del _CACHE[next(iter(_CACHE))]
        _CACHE[cache_key] = made
    _CACHE[cache_key] = _CACHE.pop(cache_key)  # the most recently used goes last, so it is evicted last
    return _CACHE[cache_key]
