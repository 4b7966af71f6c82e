"""Unit tests of dynalab.fidelity (a package, so test modules may share a name with another folder's)."""
