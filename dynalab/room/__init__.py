"""The room: an instructor's live board of every learner's self-checks.

* ``keys``: the room's keys. The instructor's key (the room's secret) signs the board's reads; the learners' key
  and each learner's personal key (both derived from it by HMAC) sign answers, and only answers.
* ``access``: the room engine's door. Every request must be signed (AWS Signature Version 4, checked against the
  keys above, with DynamoDB's own error codes and words), and a learner may only PutItem their own answers.
* ``server``: the room engine (moto's server, as in ``dynalab.engine._process``, behind the door), its journal
  (answers survive a restart) and the board's projector; ``python -m dynalab room serve`` runs it.
* ``board``: the board is a stream projection: each answer is a put into the answers table, and the board tables
  are projected from its stream exactly once by ``dynalab.engine.streams.StreamProjector``; ``read_board``.
* ``recorder``: a learner's side. ``Question.check`` calls ``record_answer``; with ``DYNALAB_ROOM`` set, the answer
  is written to an outbox file and sent by a background thread (never slowing or failing the learner's cell).

This layer may import models and engine (import-linter checks it).
"""

from __future__ import annotations

#: the settings a learner's environment carries (a JupyterHub sets them for every user)
ROOM_ENV = "DYNALAB_ROOM"
KEY_ENV = "DYNALAB_ROOM_KEY"
LEARNER_ENV = "DYNALAB_LEARNER"

#: the room's tables: every answer (learner, question), the board's two projections, the projector's checkpoints
ANSWERS_TABLE = "room_answers"
LEARNERS_TABLE = "room_board_learners"
QUESTIONS_TABLE = "room_board_questions"
CHECKPOINTS_TABLE = "room_checkpoints"
#: the attributes an answer has (the learners' policy allows no other)
ANSWER_ATTRIBUTES = ("learner", "question_id", "lesson", "question", "correct", "answered_at")
