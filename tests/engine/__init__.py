"""Unit tests of dynalab.engine (a package, so test modules may share a name with another folder's)."""
