"""The entry point of an analysis worker process: ``python -m coprokg.workers.analysis_worker FD MEMORY_MB``.

A module of its own so that ``coprokg.workers`` (which exports ``AnalysisPool``) is not run twice
by ``-m`` (runpy warns when a package's ``__init__`` has already imported the module it runs).
"""

import sys

from coprokg.workers.analysis import main

if __name__ == "__main__":
    sys.exit(main(sys.argv))
