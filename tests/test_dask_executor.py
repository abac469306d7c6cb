"""The per-article work on a Dask cluster: the address checked at the door, one-line errors,
and a build on a loopback ``LocalCluster`` byte-identical to a build on this machine."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import copy_project
from hypothesis import given
from hypothesis import strategies as st

from digest.cli import main
from digest.config import ConfigError, load_config
from digest.dask_executor import (
    ExecutorError,
    _check_workers,
    address_problem,
    executor_at,
    scheduler_address,
)

EPOCH = "1773500000"  # 2026-03-14: builds are reproducible with SOURCE_DATE_EPOCH


# --- the address ------------------------------------------------------------------------

@pytest.mark.parametrize(("given_", "dask"), [
    ("dask://127.0.0.1:8786", "tcp://127.0.0.1:8786"),
    ("tcp://scheduler.internal:8786", "tcp://scheduler.internal:8786"),
    ("dask://[::1]:8786", "tcp://[::1]:8786"),
    ("dask://h:65535", "tcp://h:65535"),
])
def test_a_scheduler_address_is_read_as_dask_writes_it(given_: str, dask: str) -> None:
    assert address_problem(given_) is None
    assert scheduler_address(given_) == dask


@pytest.mark.parametrize("bad", [
    "127.0.0.1:8786", "dask://host", "dask://:8786", "http://host:8786", "tls://host:8786",
    "dask://host:0", "dask://host:65536", "dask://host:8786/path", "dask://user@host:8786",
    "dask://host:8786\n", " dask://host:8786", "dask://::1:8786", "dask://host:８７８６",
])
def test_anything_else_is_one_line_naming_the_shape_and_the_value(bad: str) -> None:
    problem = address_problem(bad)
    assert problem is not None and "dask://HOST:PORT" in problem and repr(bad) in problem
    assert "\n" not in problem
    with pytest.raises(ExecutorError, match="dask://HOST:PORT"):
        scheduler_address(bad)


@given(st.text(max_size=40))
def test_any_text_is_an_address_or_one_line(text: str) -> None:
    problem = address_problem(text)
    if problem is None and text:
        assert scheduler_address(text).startswith("tcp://")
    else:
        assert problem is None or problem.isprintable()  # one line, whatever the text holds


def test_no_address_is_this_machine() -> None:
    assert address_problem("") is None
    with executor_at("") as executor:
        assert executor is None


def test_feeds_yaml_names_a_scheduler_or_says_what_is_wrong(tmp_path: Path) -> None:
    path = tmp_path / "feeds.yaml"
    sources = "sources:\n  - {name: a, type: text, path: '*.txt'}\n"
    path.write_text(f"executor: dask://10.0.0.5:8786\n{sources}", "utf-8")
    assert load_config(path).executor == "dask://10.0.0.5:8786"
    path.write_text(sources, "utf-8")
    assert load_config(path).executor == ""
    path.write_text(f"executor: 10.0.0.5:8786\n{sources}", "utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith("feeds.yaml:1:11: executor: must be the address of a"
                                        " Dask scheduler, dask://HOST:PORT")


def test_the_command_line_refuses_a_bad_address_before_building(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--config", str(tmp_path / "feeds.yaml"),
                                       "--executor", "localhost:8786"])
    assert result.exit_code == 2
    assert "Invalid value for '--executor': must be the address of a Dask scheduler" in (
        result.output)


# --- what can go wrong, in one line -----------------------------------------------------

def test_a_missing_distributed_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed now fails
    with pytest.raises(ExecutorError) as caught, executor_at("dask://127.0.0.1:8786"):
        pass
    assert str(caught.value) == ("--executor needs Dask's distributed package, which is not"
                                 " installed: python -m pip install 'newsdigest[dask]'")


def free_loopback_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_unreachable_scheduler_is_one_line() -> None:
    address = f"dask://127.0.0.1:{free_loopback_port()}"
    with pytest.raises(ExecutorError) as caught, executor_at(address, connect_seconds=0.5):
        pass
    message = str(caught.value)
    assert message.startswith(f"cannot reach the Dask scheduler at {address} (") and (
        "\n" not in message)


# digest build with the wait for a scheduler cut to half a second
IMPATIENT_BUILD = """
import sys
import digest.dask_executor
from digest.__main__ import run

digest.dask_executor.CONNECT_SECONDS = 0.5
sys.argv[0] = "digest"
run()
"""


def test_digest_build_says_it_in_one_line_and_keeps_the_site(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    (project / "site").mkdir()
    (project / "site" / "index.html").write_text("the previous site", "utf-8")
    address = f"dask://127.0.0.1:{free_loopback_port()}"
    result = subprocess.run([sys.executable, "-c", IMPATIENT_BUILD, "build", "--executor",
                             address], cwd=project, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    [line] = [x for x in result.stderr.splitlines() if "Dask" in x]
    assert f"cannot reach the Dask scheduler at {address} (" in line
    assert line.endswith("): is it running? (without an executor, the build runs here)")
    assert result.stderr.rstrip().endswith("(the previous site is unchanged)")
    assert (project / "site" / "index.html").read_text("utf-8") == "the previous site"
    assert sorted(p.name for p in (project / "site").iterdir()) == ["index.html"]


class Workers:
    """A client's answers about its workers, as ``distributed.Client`` gives them."""

    def __init__(self, versions: dict[str, Any]) -> None:
        self.versions = versions

    def wait_for_workers(self, n: int, timeout: float) -> None:
        if not self.versions:
            raise TimeoutError

    def run(self, function: Any, *args: Any, on_error: str) -> dict[str, Any]:
        assert function is version and args == ("newsdigest",) and on_error == "return"
        return self.versions


def test_workers_must_run_this_newsdigest() -> None:
    ours = version("newsdigest")
    _check_workers(Workers({"tcp://127.0.0.1:1": ours, "tcp://127.0.0.1:2": ours}), "x", 1)
    for theirs, said in ((ours + ".1", ours + ".1"), (PackageNotFoundError("newsdigest"),
                                                       "none")):
        with pytest.raises(ExecutorError) as caught:
            _check_workers(Workers({"tcp://127.0.0.1:1": ours, "tcp://127.0.0.1:2": theirs}),
                           "dask://s:1", 1)
        assert str(caught.value) == (f"the Dask worker tcp://127.0.0.1:2 at dask://s:1 must run"
                                     f" newsdigest {ours} (it has {said}); install it there")
    with pytest.raises(ExecutorError, match="has no workers"):
        _check_workers(Workers({}), "dask://s:1", 1)


# --- a whole build on a cluster ---------------------------------------------------------

@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """Two worker processes and a scheduler, on 127.0.0.1 only."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  host="127.0.0.1", dashboard_address=None) as local:
        yield local


def digest_build(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    return subprocess.run([sys.executable, "-m", "digest", "build", "--no-cache", *args],
                          cwd=project, env=env, capture_output=True, text=True, timeout=600)


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_a_build_on_a_local_cluster_is_byte_identical(cluster: Any, tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    local = digest_build(project, "--site-dir", "local")
    assert local.returncode == 0, local.stderr
    address = cluster.scheduler_address.replace("tcp://", "dask://")
    assert address.startswith("dask://127.0.0.1:")
    assert "process_many" not in cluster.scheduler.task_prefixes  # Dask's name for its tasks
    remote = digest_build(project, "--site-dir", "cluster", "--executor", address)
    assert remote.returncode == 0, remote.stderr
    # the per-article work ran on the cluster's workers (a prefix's longest run, once one ran)
    assert cluster.scheduler.task_prefixes["process_many"].max_exec_time > 0
    ours, theirs = files_of(project / "local"), files_of(project / "cluster")
    assert len(ours) > 100 and sorted(ours) == sorted(theirs)
    assert [name for name in ours if ours[name] != theirs[name]] == []
