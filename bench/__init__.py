"""Benchmarks, the load run and the Dash HTTP client they share (`bench/run_all.py`)."""
