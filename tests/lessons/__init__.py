"""Unit tests of dynalab.lessons (a package, so test modules may share a name with another folder's)."""
