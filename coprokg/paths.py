"""Where the project's data files are: the repository checkout, or ``COPROKG_HOME``.

The command line is the exception: files a user works on (``coprokg normalize``, ``coprokg check``)
default to the ones under the current directory, see :func:`working_ontology_path`.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from coprokg.errors import InputError

__all__ = [
    "ONTOLOGY_FILE",
    "cases_dir",
    "catalog_path",
    "ontology_path",
    "project_root",
    "resolved",
    "shapes_dir",
    "working_ontology_path",
]

#: The ontology's place inside a checkout of the project.
ONTOLOGY_FILE = Path("ontology") / "coprod.ttl"

_CHECKOUT = Path(__file__).resolve().parent.parent


def project_root() -> Path:
    """The folder holding ``ontology/``, ``shapes/`` and ``data/``."""
    env = os.environ.get("COPROKG_HOME")
    if env:
        return Path(env)
    return _CHECKOUT


def resolved(path: Path) -> Path:
    """``path.resolve()``, remembered for an absolute path: the project's folders do not move while
    a process runs, and every case validated or classified asks for them (a system call per folder
    each time). A relative one (a relative ``COPROKG_HOME``) depends on the current directory and is
    resolved each time; a folder replaced by a symbolic link elsewhere needs a restart."""
    return _resolved(path) if path.is_absolute() else path.resolve()


@lru_cache(maxsize=64)
def _resolved(path: Path) -> Path:
    return path.resolve()


def ontology_path() -> Path:
    return project_root() / ONTOLOGY_FILE


def working_ontology_path() -> Path:
    """``ontology/coprod.ttl`` under the current directory, as an absolute path: the CLI's default.

    A command that reads or rewrites the ontology a user is editing takes it from where it is run,
    never from the checkout the installed package was installed from (``project_root``), so that
    ``coprokg normalize`` in one checkout cannot rewrite another's file. Raises InputError if the
    current directory has no such file.
    """
    path = Path.cwd() / ONTOLOGY_FILE
    if not path.is_file():
        raise InputError(
            f"no {ONTOLOGY_FILE.as_posix()} in this directory (the default file); "
            "run from the project's folder or name the file",
            source=str(Path.cwd()),
        )
    return path


def catalog_path() -> Path:
    return project_root() / "ontology" / "catalog-v001.xml"


def shapes_dir() -> Path:
    return project_root() / "shapes"


def cases_dir() -> Path:
    return project_root() / "data" / "cases"
