"""Validation: the figures that show how far heelpath can be trusted, gathered for a report anyone can
regenerate (``heelpath report validation``) and printed by the scripts in benchmarks/."""
