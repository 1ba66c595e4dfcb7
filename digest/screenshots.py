"""`python -m digest.screenshots`, the documented name; its code is digest/tools/screenshots.py."""

import sys

from .tools.screenshots import main

if __name__ == "__main__":
    sys.exit(main())
