"""Tag pages: the tag index, and a page per tag listing its articles.

The index stays usable at any size. Its first page shows the :data:`MOST_USED` tags
a reader most likely wants (:func:`digest.site.tags.most_used`; a short index goes
without), then every tag from A to Z, grouped by initial and listed compactly (a
line of links per letter), over pages of at most :data:`INDEX_PAGE_SIZE` tags, each
with a bar of letters that jump to where each letter starts. Every tag page is
linked from exactly one A to Z page.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import partial
from itertools import groupby

from digest.site import markdown as md
from digest.site.context import SiteContext, by_date_desc
from digest.site.paths import relative
from digest.site.tags import Tag, most_used
from digest.site.topic_page import pager

PAGE_MAX = 100  # newest articles listed on a tag page, so a common name keeps a light page
MOST_USED = 40  # tags on the index's first page before the A to Z...
SHORT_INDEX = 100  # ...unless there are no more tags than this: then the A to Z is enough
INDEX_PAGE_SIZE = 400  # tags on one page of the A to Z
OTHER = "#"  # the group of names that do not open with a letter


def render(ctx: SiteContext) -> dict[str, str]:
    """The tag index and one page per tag (none searched), keyed by source path; no
    pages when no key phrase is shared by enough articles."""
    if not ctx.tags:
        return {}
    pages = render_index(ctx)
    index_path = ctx.paths.tags_index
    t = ctx.labels
    for tag in ctx.tags:
        path = ctx.paths.tag(tag.slug)
        articles = by_date_desc([ctx.articles[i] for i in tag.article_ids if i in ctx.articles])
        body = [md.front_matter(title=tag.name, search={"exclude": True}),
                md.heading(1, tag.name),
                f"*{ctx.count('articles', len(articles))}* · "
                f"[{t['all_tags']}]({relative(path, index_path)})\n"]
        body += [ctx.article_item(path, a, with_date=True) for a in articles[:PAGE_MAX]]
        if len(articles) > PAGE_MAX:
            older = ctx.count("older_articles", len(articles) - PAGE_MAX)
            archive = f"[{t['archive_link']}]({relative(path, ctx.paths.archive_index)})"
            body.append(f"\n*{t['in_the_archive'].format(older=older, archive=archive)}*")
        pages[path] = "\n".join(body) + "\n"
    return pages


def index_page(ctx: SiteContext, page_no: int) -> str:
    """The source path of the tag index's ``page_no``-th page: ``tags/index.md``, then
    ``tags/index/2.md``... (no tag page can be there: "index" is a reserved slug)."""
    first = ctx.paths.tags_index
    return first if page_no == 1 else f"{first[:-3]}/{page_no}.md"


def initial(name: str) -> str:
    """The letter a tag is filed under: its first character in capitals, accents
    removed ("Élysée" -> "E"), or :data:`OTHER` when that is not a letter."""
    first = unicodedata.normalize("NFKD", name.strip()[:1])[:1]
    return first.upper() if first.isalpha() else OTHER


def alphabetical(tags: list[Tag]) -> list[Tag]:
    return sorted(tags, key=lambda t: (initial(t.name) != OTHER, initial(t.name),
                                       t.name.casefold(), t.slug))


def chunked(tags: list[Tag], size: int) -> list[list[Tag]]:
    """``tags`` (in A to Z order) on pages of at most ``size``, a letter kept whole on one
    page where it fits."""
    pages: list[list[Tag]] = [[]]
    for _, group in groupby(tags, key=lambda t: initial(t.name)):
        letter = list(group)
        if pages[-1] and len(pages[-1]) + len(letter) > size:
            pages.append([])
        while len(pages[-1]) + len(letter) > size:
            room = size - len(pages[-1])
            pages[-1] += letter[:room]
            letter = letter[room:]
            pages.append([])
        pages[-1] += letter
    return pages


def _anchor(letter: str) -> str:
    """The letter's heading id, explicit (attr_list): MkDocs would make none of Cyrillic,
    and "letter-" is no id it makes of the page's other headings ("tags-3", "most-used")."""
    return "letter-other" if letter == OTHER else f"letter-{ord(letter):x}"


def render_index(ctx: SiteContext) -> dict[str, str]:
    """Every page of the tag index, keyed by source path (see the module docstring)."""
    t = ctx.labels
    chunks = chunked(alphabetical(ctx.tags), INDEX_PAGE_SIZE)
    path_of = partial(index_page, ctx)
    starts: dict[str, int] = {}  # letter -> the page it starts on
    for page_no, chunk in enumerate(chunks, start=1):
        for tag in chunk:
            starts.setdefault(initial(tag.name), page_no)
    source_of = {a.id: a.source for a in ctx.articles.values()}
    pages: dict[str, str] = {}
    for page_no, chunk in enumerate(chunks, start=1):
        page = path_of(page_no)
        title = t["tags_title"] if page_no == 1 else t["tags_page"].format(page=page_no)
        out = [md.front_matter(title=title, search={"exclude": True}), f"# {md.text(title)}\n"]
        if page_no == 1:
            out.append(f"{t['tags_intro']}\n")
            if len(ctx.tags) > SHORT_INDEX:
                out.append(md.heading(2, t["tags_most_used"]))
                top = most_used(ctx.tags, source_of)[:MOST_USED]
                out += [_item(ctx, page, tag) for tag in top]
                out += ["", md.heading(2, t["tags_a_to_z"])]
        out.append(_letter_bar(page, starts, path_of) + "\n")
        turn = _turn(ctx, chunks, page_no, path_of) if len(chunks) > 1 else ""
        if turn:
            out.append(turn)
        for letter, group in groupby(chunk, key=lambda tag: initial(tag.name)):
            # the letter's anchor is where it starts (a long letter runs on to the next page)
            anchor = f" {{ #{_anchor(letter)} }}" if starts[letter] == page_no else ""
            out.append(f"### {md.text(letter)}{anchor}\n")
            out.append(" · ".join(_link(ctx, page, tag) + f" {len(tag.article_ids)}"
                                  for tag in group) + "\n")
        if turn:
            out.append(turn)
        pages[page] = "\n".join(out).rstrip("\n") + "\n"
    return pages


def _link(ctx: SiteContext, page: str, tag: Tag) -> str:
    return md.link(tag.name, relative(page, ctx.paths.tag(tag.slug)))


def _item(ctx: SiteContext, page: str, tag: Tag) -> str:
    return f"- {_link(ctx, page, tag)} · *{ctx.count('articles', len(tag.article_ids))}*"


def _letter_bar(page: str, starts: dict[str, int], path_of: Callable[[int], str]) -> str:
    """A link to where each letter starts, on this page or another."""
    links = []
    for letter, page_no in starts.items():
        target = path_of(page_no)
        href = "" if target == page else relative(page, target)
        links.append(f"[{md.text(letter)}]({href}#{_anchor(letter)})")
    return " ".join(links)


def _turn(ctx: SiteContext, chunks: list[list[Tag]], page_no: int,
          path_of: Callable[[int], str]) -> str:
    """The pager between A to Z pages, each side named by its letters ("← A–C")."""
    def letters(chunk: list[Tag]) -> str:
        first, last = initial(chunk[0].name), initial(chunk[-1].name)
        return first if first == last else f"{first}–{last}"

    back = f"← {letters(chunks[page_no - 2])}" if page_no > 1 else ""
    forward = f"{letters(chunks[page_no])} →" if page_no < len(chunks) else ""
    return pager(path_of, page_no, len(chunks), back, forward, ctx.labels["page_of"])
