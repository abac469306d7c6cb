"""A failed import said in one line that names the package, never as a traceback.

Standard library only: this module must import when every other package is missing.
"""

from __future__ import annotations

from importlib.metadata import packages_distributions

REINSTALL = "reinstall newsdigest with its dependencies (python -m pip install newsdigest)"


def failed_module(exc: ImportError) -> str:
    """The module that could not be imported: the one missing, or the one whose code raised."""
    if exc.name:
        return exc.name
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    name = tb.tb_frame.f_globals.get("__name__") if tb is not None else None
    return name if isinstance(name, str) else "?"


def describe_import_error(exc: ImportError) -> str:
    """One line: which module failed, which installed package it belongs to, and why."""
    module = failed_module(exc)
    packages = packages_distributions().get(module.split(".")[0], [])
    owner = (f"from the package {', '.join(sorted(set(packages)))}" if packages
             else "its package is not installed")
    why = " ".join(str(exc).split()).rstrip(".")
    return f"cannot import {module} ({owner}): {why}; {REINSTALL}"
