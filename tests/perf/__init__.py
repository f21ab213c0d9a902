"""Benchmarks: run as modules (``python -m tests.perf.bench_list``), never by pytest."""
