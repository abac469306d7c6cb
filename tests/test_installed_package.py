"""A site of one's own from the installed package, far from this repository.

The package is built into a wheel and installed, non-editable and offline, into a new
virtualenv (``--no-index --no-deps``: no test reaches a package registry); the packages it
depends on come from the test environment. In a folder outside the repository, ``digest
new`` starts a site, a local feed is added, and the build must carry the sample's look:
feed links, Open Graph tags, the footer and the stylesheet all come from the package.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
<title>Gullrock Harbour Notes</title>
<link>https://notes.example.org/</link>
<description>News from a harbour that does not exist.</description>
<item>
  <title>Ferry timetable adds a late sailing to Gullrock</title>
  <link>https://notes.example.org/2026/11/30/late-ferry</link>
  <guid>https://notes.example.org/2026/11/30/late-ferry</guid>
  <pubDate>Mon, 30 Nov 2026 09:00:00 +0000</pubDate>
  <description>The harbour board will run a ferry at half past ten each evening from
  January, after islanders asked for a way home from the mainland theatre. The board said
  the sailing would be reviewed after six months. Tickets cost the same as the day
  sailings, and the last bus from the town centre will wait for the boat.</description>
</item>
<item>
  <title>Lifeboat crew trains two new volunteers</title>
  <link>https://notes.example.org/2026/11/30/lifeboat-volunteers</link>
  <guid>https://notes.example.org/2026/11/30/lifeboat-volunteers</guid>
  <pubDate>Mon, 30 Nov 2026 11:30:00 +0000</pubDate>
  <description>Two island residents have joined the Gullrock lifeboat crew after a winter
  of training on the water and in the classroom. The station now has fourteen
  volunteers, its most in a decade. The coxswain said new crew members were always
  welcome and that training starts again in March.</description>
</item>
</channel></rss>
"""


def run(command: list[str | Path], cwd: Path, env: dict[str, str] | None = None
        ) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(c) for c in command], cwd=cwd, env=env, text=True,
                            capture_output=True, timeout=600)
    assert result.returncode == 0, f"{command}:\n{result.stdout}\n{result.stderr}"
    return result


def wheel(tmp_path: Path) -> Path:
    """The package as a wheel, built from a copy of its sources with the test
    environment's setuptools (no build isolation: nothing is downloaded)."""
    sources = tmp_path / "sources"
    sources.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, sources / name)
    shutil.copytree(ROOT / "digest", sources / "digest",
                    ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path / "wheel"
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-index",
         "--no-build-isolation", "--wheel-dir", out, sources], tmp_path)
    return next(out.glob("newsdigest-*.whl"))


def installed(tmp_path: Path, built: Path) -> Path:
    """A new virtualenv holding the wheel alone; the test environment's packages are
    visible to it behind its own (a path line in a .pth file, so the editable install
    of this checkout that the test environment holds is not loaded)."""
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", "--system-site-packages", venv], tmp_path)
    python = venv / "bin" / "python"
    own = run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
              tmp_path).stdout.strip()
    ours = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    Path(own, "test-environment.pth").write_text("\n".join(sorted(ours)) + "\n", "utf-8")
    run([python, "-m", "pip", "install", "--no-index", "--no-deps", "--no-input", built],
        tmp_path)
    return venv


def test_a_new_site_from_the_installed_wheel_has_the_sample_look(tmp_path: Path) -> None:
    venv = installed(tmp_path, wheel(tmp_path))
    away = tmp_path / "elsewhere"
    away.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env |= {"PATH": f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
            "SOURCE_DATE_EPOCH": "1796083200"}
    where = run([venv / "bin" / "python", "-c", "import digest; print(digest.__file__)"],
                away, env).stdout.strip()
    assert Path(where).is_relative_to(venv), f"digest imported from {where}, not the wheel"

    run([venv / "bin" / "digest", "new", "site"], away, env)
    site = away / "site"
    (site / "harbour-notes.xml").write_text(FEED, "utf-8")
    feeds = site / "feeds.yaml"
    text = feeds.read_text("utf-8")
    head, sep, rest = text.partition("\nsources:")
    assert sep, "feeds.yaml written by digest new has no sources: key"
    first_line_end = rest.find("\n")
    entry = ("\n  - name: harbour-notes\n    title: Gullrock Harbour Notes\n    type: rss\n"
             "    path: harbour-notes.xml")
    feeds.write_text(head + sep + rest[:first_line_end].split("#")[0].replace("[]", "")
                     + entry + rest[first_line_end:], "utf-8")

    run([venv / "bin" / "digest", "build"], site, env)
    built = site / "site"
    front = (built / "index.html").read_text("utf-8")
    assert "Ferry timetable adds a late sailing" in front
    for look in ('rel="alternate " type="application/atom+xml"',  # feed links
                 'property="og:title"', 'property="og:site_name"',  # Open Graph tags
                 'class="md-copyright__highlight digest-footer"',  # the footer
                 "stylesheets/digest.css"):  # the stylesheet
        assert look in front, look
    shipped = venv.glob("lib/python*/site-packages/digest/theme/stylesheets/digest.css")
    assert (built / "stylesheets" / "digest.css").read_bytes() == next(shipped).read_bytes()
    assert not any(built.rglob("overrides")), "theme overrides reached the site"
