"""The build report page (``report/``): what went in, what was skipped and why.

Every input the build could not use is listed with its file (and line, for
JSON Lines and feeds.yaml) and the reason; inputs used with a caveat (no
date, an implausible date) are listed apart. The same lists are in
``build-report.json`` beside the site, with the time each stage took.
"""

from __future__ import annotations

from digest.records import Skipped
from digest.site import markdown as md
from digest.site.context import SiteContext


def _entries(items: tuple[Skipped, ...]) -> list[str]:
    return [f"- `{s.origin.replace('`', '')}`: {md.text(s.reason)}" for s in items]


def summary(ctx: SiteContext) -> str:
    """One line: articles, duplicates merged, topics, inputs skipped."""
    d = ctx.digest
    return (f"{md.plural(len(d.articles), 'article')} published,"
            f" {md.plural(len(d.duplicates), 'duplicate')} merged,"
            f" {md.plural(len(d.topics), 'topic')},"
            f" {md.plural(len(d.skipped), 'input')} skipped,"
            f" {len(d.notices)} kept with a note.")


def render(ctx: SiteContext) -> str:
    d = ctx.digest
    built = ctx.built_label or "Unknown"
    out = [md.front_matter(title="Build report", search={"exclude": True},
                           built=ctx.built_label),
           "# Build report\n", f"Built {md.text(built)}: {summary(ctx)}\n",
           "## Skipped inputs\n"]
    out += _entries(d.skipped) or ["Nothing was skipped."]
    out.append("")
    if d.notices:
        out.append("## Kept with a note\n")
        out += _entries(d.notices)
        out.append("")
    return "\n".join(out)
