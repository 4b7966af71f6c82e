"""Unit tests of dynalab.widgets (a package, so test modules may share a name with another folder's)."""
