"""Plotly figure builders: data in, figure out, one function per picture (a module per lesson topic)."""
