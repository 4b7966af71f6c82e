"""Who owns a connection's tables, and the prefix of their names (issue 23): plain names on the embedded engine,
``<owner>-`` on an engine kernels share, the AWS prefix ending at its separator."""

from __future__ import annotations

import pytest

from dynalab.engine import _prefix_and_owner, aws_table_prefix, local_owner


def test_the_embedded_engine_keeps_plain_names_and_a_shared_one_prefixes_them(monkeypatch):
    monkeypatch.delenv("DYNALAB_LEARNER", raising=False)
    owner = local_owner()
    assert owner.startswith("kernel-") and owner == local_owner()  # one id for the kernel's life
    assert _prefix_and_owner(False, True, False) == ("", owner)
    assert _prefix_and_owner(False, False, False) == ("", owner)  # an engine you started: as before
    assert _prefix_and_owner(False, False, True) == (f"{owner}-", owner)  # dynalab serve's
    monkeypatch.setenv("DYNALAB_LEARNER", "ana")
    assert _prefix_and_owner(False, True, False) == ("", "ana")
    assert _prefix_and_owner(False, False, False) == ("ana-", "ana")
    assert _prefix_and_owner(False, False, True) == ("ana-", "ana")


@pytest.mark.parametrize("learner", ["ana-bel", "a" * 33, "ana bel", "アナ"])
def test_a_learner_name_that_could_overlap_another_is_refused(monkeypatch, learner):
    monkeypatch.setenv("DYNALAB_LEARNER", learner)
    with pytest.raises(ValueError, match="DYNALAB_LEARNER must be 1 to 32 characters"):
        local_owner()


@pytest.mark.parametrize(("prefix", "ok"), [("dynalab-", True), ("dynalab-ana-", True), ("dynalab-ana", False),
                                            ("dynalab_", False), ("ab", False)])
def test_the_aws_prefix_ends_at_its_separator(monkeypatch, prefix, ok):
    monkeypatch.setenv("DYNALAB_AWS_PREFIX", prefix)
    if ok:
        assert aws_table_prefix() == prefix
        assert _prefix_and_owner(True, False, False) == (prefix, prefix)
    else:
        with pytest.raises(ValueError, match="DYNALAB_AWS_PREFIX must"):
            aws_table_prefix()
