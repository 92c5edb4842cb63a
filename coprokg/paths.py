"""Where the project's data files are: the repository checkout, or ``COPROKG_HOME``."""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    """The folder holding ``ontology/``, ``shapes/`` and ``data/``."""
    env = os.environ.get("COPROKG_HOME")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent


def ontology_path() -> Path:
    return project_root() / "ontology" / "coprod.ttl"


def catalog_path() -> Path:
    return project_root() / "ontology" / "catalog-v001.xml"


def shapes_dir() -> Path:
    return project_root() / "shapes"


def cases_dir() -> Path:
    return project_root() / "data" / "cases"
