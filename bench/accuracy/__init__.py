"""Accuracy harness: ``python -m bench.accuracy --corpus DIR [--json] [--types a,b]``.

``scoring`` holds the per-field comparison (reused by the speed benchmark), ``harness`` runs the
pipeline over a labelled folder and aggregates per card type.
"""
