"""Lesson scenarios: what a lesson runs on the engine, composed from the models and the engine I/O.

Every live demo a lesson runs on the engine (lesson 1's ``capacity``, lesson 3's ``partitions``), the vote projections
and their summary tables, copy tables, the batch-vs-stream cost comparison, what secondary indexes cost (lesson 6),
the load generator, sample data and workloads, each lesson's self-check questions (``self_checks``) and the demos
that take real seconds (``live_demos``). Scenarios use the engine's loops (``engine.tables``' paging and batch
writer, ``engine.attempts``' one attempt per write) and return data (dataclasses, dicts); figures draw it and widgets
show it, so nothing here imports ipywidgets, plotly or a widget.
"""
