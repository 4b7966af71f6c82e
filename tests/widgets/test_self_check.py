"""Self-check questions (dynalab.widgets.self_check): answers checked as numbers or words."""

from __future__ import annotations

from dynalab.widgets.self_check import Question


def test_question_checks_numbers_and_words():
    units = Question("RCU?", answer=lambda: 4, hint="divide by 4 KB")
    assert units.check("4").startswith("✓")
    assert units.check("4.0").startswith("✓")
    assert "Hint: divide by 4 KB" in units.check("16")
    assert units.check("") == "Type an answer first."
    assert Question("key?", "partition key", "h").check(" Partition Key ").startswith("✓")
