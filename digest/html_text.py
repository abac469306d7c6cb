"""The text of an HTML fragment as paragraphs: for feed entries' markup and for the
site's hand-written pages in search. Plain standard library, so whatever needs it does
not need a feed parser too."""

from __future__ import annotations

from html.parser import HTMLParser

BLOCKS = frozenset("p div br li h1 h2 h3 h4 h5 h6 blockquote pre tr section article "
                   "header footer figure figcaption ul ol table hr dd dt".split())
SKIP = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "object"})


class _Paragraphs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.current: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIP:
            self.skipping += 1
        elif tag in BLOCKS:
            self.flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCKS:
            self.flush()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.current.append(data)

    def flush(self) -> None:
        text = " ".join("".join(self.current).split())
        if text:
            self.out.append(text)
        self.current = []


def html_paragraphs(html: str) -> list[str]:
    """The text of an HTML fragment, one string per block (p, li, h2, br...), spaces collapsed."""
    parser = _Paragraphs()
    parser.feed(html)
    parser.close()
    parser.flush()
    return parser.out
