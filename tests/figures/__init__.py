"""Unit tests of dynalab.figures (a package, so test modules may share a name with another folder's)."""
