"""Jinja extensions loaded by copier.yml: pure functions, no I/O."""
