"""ipywidgets UIs that compose models, engine I/O and figures (a module per lesson topic). They hold no rules."""
