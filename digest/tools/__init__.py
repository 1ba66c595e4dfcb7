"""For developers, not for the site: the benchmark and the screenshots.

Run them by their documented names, `python -m digest.bench` and `python -m digest.screenshots`.
"""
