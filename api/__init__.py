"""The coprokg HTTP service (FastAPI): thin routes over the ``coprokg`` library."""
