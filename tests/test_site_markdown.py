"""Untrusted article text never becomes markup, in MkDocs' Markdown or in markdown-it."""

from __future__ import annotations

from html.parser import HTMLParser

import markdown
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from digest.site import markdown as md

EXTENSIONS = ["toc", "tables", "fenced_code", "attr_list", "md_in_html", "footnotes", "abbr",
              "def_list", "admonition"]


class Shape(HTMLParser):
    """Collects the tags and the text of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def shape(html: str) -> Shape:
    parser = Shape()
    parser.feed(html)
    parser.close()
    return parser


def rendered_both_ways(value: str) -> list[Shape]:
    source = md.text(value)
    return [shape(markdown.markdown(source, extensions=EXTENSIONS)),
            shape(MarkdownIt("commonmark").enable("table").render(source))]


HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "[click](javascript:alert(1))",
    "![pixel](http://tracker.example/p.gif)",
    "# Not a heading",
    "1. not a list",
    "- not a list",
    "> not a quote",
    "```not code```",
    "| a | b |",
    "{: onclick=\"x\" }",
    "<http://auto.link/>",
    "Hello [^1] footnote *[HTML]: abbr",
    "&lt;b&gt; entity &amp; text",
    "***",
    "    indented code",
    "Term\n: definition",
    "line one\n===",
]


def test_hostile_text_renders_as_plain_paragraph_text() -> None:
    for value in HOSTILE:
        for result in rendered_both_ways(value):
            assert result.tags in ([], ["p"]), (value, result.tags)
            assert not result.attrs, value
            assert "".join(result.text).strip() == " ".join(value.split()), value


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=80))
def test_any_text_round_trips_as_plain_text(value: str) -> None:
    for result in rendered_both_ways(value):
        assert set(result.tags) <= {"p"}
        assert not result.attrs
        assert "".join(result.text).strip() == " ".join(value.split())


def test_external_links_only_for_http() -> None:
    assert md.external_link("Original", "javascript:alert(1)") == "Original"
    assert md.external_link("Original", "https://ex.org/a b") == "[Original](<https://ex.org/a%20b>)"


def test_front_matter_is_yaml_safe() -> None:
    block = md.front_matter(title='Title: "quoted" <b>\n---\nx: y')
    lines = block.splitlines()
    assert lines[0] == "---" and lines.index("---", 1) == len(lines) - 2
    assert yaml.safe_load("\n".join(lines[1:-2]))["title"] == "Title: ”quoted” ‹b› --- x: y"
