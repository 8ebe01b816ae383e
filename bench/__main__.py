"""``python -m bench [name ...]``: run all benchmarks, or those whose name contains a word."""

import sys

from bench.benchmarks import main

raise SystemExit(main(sys.argv[1:]))
