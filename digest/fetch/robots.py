"""robots.txt for page fetches: read once per host per build, obeyed for our User-Agent.

Following RFC 9309: a robots.txt that is missing (4xx) allows everything; one
that cannot be fetched (5xx, timeout, connection error) disallows the whole
host for this build, since the site may be in trouble. A ``Crawl-delay`` for
us spaces all later requests to that host (up to ``max_crawl_delay``). A host the
address policy refuses is not "unreachable" but refused: :meth:`RobotsRules.allowed`
raises that :class:`~digest.fetch.http.RefusedFetch`, so the report says why.
"""

from __future__ import annotations

import threading
import urllib.robotparser
from urllib.parse import urlsplit, urlunsplit

from digest.fetch.http import FetchError, PoliteClient, RefusedFetch


class RobotsRules:
    """Per-host robots.txt rules, fetched lazily through a :class:`PoliteClient`."""

    def __init__(self, client: PoliteClient, agent: str | None = None) -> None:
        self.client = client
        # robots.txt groups name products ("newsdigest"), not whole User-Agent strings
        self.agent = agent or client.settings.user_agent.split("/")[0].split()[0]
        self._lock = threading.Lock()
        self._hosts: dict[str, urllib.robotparser.RobotFileParser | bool | RefusedFetch] = {}
        self._host_locks: dict[str, threading.Lock] = {}

    def allowed(self, url: str) -> bool:
        """Whether robots.txt of ``url``'s host lets us fetch it (True for non-HTTP URLs).

        Raises :class:`~digest.fetch.http.RefusedFetch` if the host itself is refused.
        """
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return True
        origin = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
        with self._lock:
            lock = self._host_locks.setdefault(origin, threading.Lock())
        with lock:  # one robots.txt request per host, even with many pages in flight
            if origin not in self._hosts:
                self._hosts[origin] = self._load(origin)
        rules = self._hosts[origin]
        if isinstance(rules, RefusedFetch):
            raise RefusedFetch(str(rules))
        if isinstance(rules, bool):
            return rules
        return rules.can_fetch(self.agent, url)

    def _load(self, origin: str) -> urllib.robotparser.RobotFileParser | bool | RefusedFetch:
        try:
            response = self.client.get(origin + "/robots.txt", accept="text/plain")
        except RefusedFetch as exc:
            return exc
        except FetchError as exc:
            return exc.status is not None and 400 <= exc.status < 500
        parser = urllib.robotparser.RobotFileParser()
        parser.parse(response.body.decode("utf-8", errors="replace").splitlines())
        delay = parser.crawl_delay(self.agent)
        if delay:
            self.client.gate.slow_down(urlsplit(origin).netloc.lower(),
                                       min(float(delay), self.client.settings.max_crawl_delay))
        return parser
