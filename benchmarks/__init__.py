"""Calibration and measurements, each a module run from the repository root as
``python -m benchmarks.NAME`` (so the test helpers under ``tests/`` import as a package, with
no path set by hand); the results are in benchmarks/RESULTS.md."""
