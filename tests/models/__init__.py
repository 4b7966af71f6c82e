"""Unit tests of dynalab.models (a package, so test modules may share a name with another folder's)."""
