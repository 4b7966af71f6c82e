"""Lesson scenarios: what a lesson runs on the engine, composed from the models and the engine I/O.

The vote projections and their summary tables, copy tables, the batch-vs-stream cost comparison, what secondary
indexes cost (lesson 6), the load generator, sample data and workloads. Scenarios return data (dataclasses,
dicts); figures draw it and widgets show it, so nothing here imports ipywidgets, plotly or a widget.
"""
