"""`python -m digest.bench`, the benchmark's documented name; its code is digest/tools/bench.py."""

from .tools.bench import main

if __name__ == "__main__":
    main()
