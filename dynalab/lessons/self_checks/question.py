"""One question of a lesson's self-check, as a lesson module declares it (``dynalab.lessons.self_checks``)."""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class LessonQuestion:
    """``id``: stable across the editions (the room's board counts a question's answers in both languages);
    ``prompt``, ``hint``, ``explanation``: English templates marked ``N_``; ``answer``: a value, or a function of
    dynalab's models whose parameters name the learner's results it needs; numbers compare within ``tolerance``."""

    id: str
    prompt: str
    answer: Any
    hint: str
    explanation: str = ""
    tolerance: float = 1e-9

    def results_needed(self) -> tuple[str, ...]:
        """The learner's results the answer is computed from (the answer function's parameters)."""
        return tuple(inspect.signature(self.answer).parameters) if callable(self.answer) else ()
