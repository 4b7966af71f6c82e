"""Request-stream generators: the article's cardinality table, seeded and validated."""

from __future__ import annotations

import numpy as np
import pytest

from dynalab.models.key_distributions import (
    CARDINALITY_TABLE,
    DISTRIBUTIONS,
    creation_dates,
    device_ids,
    key_distribution,
    status_codes,
    user_ids,
)


def test_every_row_of_the_article_table_has_a_generator_with_its_verdict():
    assert len(CARDINALITY_TABLE) == 5
    for _, uniformity, name in CARDINALITY_TABLE:
        assert key_distribution(name).uniformity == uniformity


@pytest.mark.parametrize("name", list(DISTRIBUTIONS))
def test_weights_are_probabilities_and_samples_are_indices(name):
    distribution = key_distribution(name)
    assert distribution.weights.shape == (distribution.cardinality,)
    assert distribution.weights.min() >= 0 and distribution.weights.sum() == pytest.approx(1.0)
    sample = distribution.sample(10_000, seed=3)
    assert sample.dtype == np.int64 and sample.min() >= 0 and sample.max() < distribution.cardinality


@pytest.mark.parametrize("name", list(DISTRIBUTIONS))
def test_seeded_streams_repeat(name):
    distribution = key_distribution(name)
    assert np.array_equal(distribution.sample(5000, seed=11), distribution.sample(5000, seed=11))
    assert not np.array_equal(distribution.sample(5000, seed=11), distribution.sample(5000, seed=12))


def test_cardinalities():
    assert user_ids().cardinality == 100_000
    assert status_codes().cardinality == 10
    assert creation_dates(days=30).cardinality == 30
    assert device_ids(devices=500).cardinality == 500


def test_sample_frequencies_follow_the_weights():
    distribution = status_codes()
    counts = np.bincount(distribution.sample(200_000, seed=1), minlength=distribution.cardinality)
    assert np.allclose(counts / counts.sum(), distribution.weights, atol=0.005)
    assert distribution.keys[int(np.argmax(counts))] == "200"


def test_good_keys_spread_and_bad_keys_concentrate():
    assert user_ids().top_key_share == pytest.approx(1e-5)
    assert device_ids().top_key_share == pytest.approx(1e-4)
    assert status_codes().top_key_share == pytest.approx(0.8)
    assert creation_dates().top_key_share == pytest.approx(0.5, abs=1e-6)  # today's date: half the requests
    skewed = key_distribution("skewed_device_ids")
    assert skewed.top_key_share > 0.3  # Zipf 1.5: the first device carries over 30 %


def test_dates_are_rounded_to_the_day_and_newest_first():
    keys = creation_dates(days=3).keys
    assert keys == ("2024-08-19", "2024-08-18", "2024-08-17")


def test_zipf_exponent_zero_is_uniform_and_sampling_uses_the_integer_path():
    a, b = device_ids(100), device_ids(100, zipf_exponent=0)
    assert np.array_equal(a.weights, b.weights) and a.uniformity == "good"
    assert device_ids(100, zipf_exponent=1.2).uniformity == "bad"


def test_hashes_are_computed_once_and_match_the_keys():
    from dynalab.models.partitions import key_hashes

    distribution = device_ids(50)
    assert distribution.hashes is distribution.hashes
    assert np.array_equal(distribution.hashes, key_hashes(distribution.keys))


def test_sample_keys_gives_values():
    keys = status_codes().sample_keys(5, seed=0)
    assert len(keys) == 5 and all(k in status_codes().keys for k in keys)


@pytest.mark.parametrize(
    ("factory", "kwargs", "name"),
    [(user_ids, {"users": 0}, "users"), (status_codes, {"codes": 11}, "codes"),
     (creation_dates, {"days": 0}, "days"), (creation_dates, {"recent_share": 1.5}, "recent_share"),
     (device_ids, {"zipf_exponent": -1}, "zipf_exponent"), (device_ids, {"devices": 2.5}, "devices")],
)
def test_parameters_out_of_range_name_themselves(factory, kwargs, name):
    with pytest.raises(ValueError, match=name):
        factory(**kwargs)


def test_bad_names_and_sample_sizes():
    with pytest.raises(ValueError, match="name"):
        key_distribution("zip codes")
    with pytest.raises(ValueError, match="requests"):
        status_codes().sample(0)
    with pytest.raises(ValueError, match="seed"):
        status_codes().sample(10, seed=1.5)
