"""The sources page: per feed what it gave, and the build report of skipped inputs."""

from __future__ import annotations

from collections import Counter

from digest.site import markdown as md
from digest.site.context import SiteContext
from digest.site.dates import format_moment


def render(ctx: SiteContext) -> str:
    digest = ctx.digest
    kept = Counter(a.source for a in digest.articles)
    copies = Counter(a.source for a in digest.duplicates)
    latest: dict[str, str] = {}
    for a in (*digest.articles, *digest.duplicates):
        if a.date and a.date > latest.get(a.source, ""):
            latest[a.source] = a.date
    out = [md.front_matter(title="Sources", search={"exclude": True}), "# Sources\n",
           "| Source | Type | Articles | Duplicates merged | Latest article |",
           "| --- | --- | ---: | ---: | --- |"]
    for s in ctx.config.sources:
        out.append(f"| {md.text(s.label)} | {s.type} | {kept[s.name]} | {copies[s.name]} | "
                   f"{ctx.date(latest.get(s.name))} |")
    out.append("")
    site = ctx.config.site
    built = format_moment(digest.built, ctx.locale, site.timezone) if digest.built else "Unknown"
    out.append(f"## Build report\n\nBuilt {md.text(built)}: {len(digest.articles)} articles,"
               f" {len(digest.duplicates)} duplicates merged, {len(digest.topics)} topics,"
               f" {len(digest.skipped)} inputs skipped.\n")
    if digest.skipped:
        out.append("### Skipped inputs\n")
        out += [f"- `{s.origin.replace('`', '')}`: {md.text(s.reason)}" for s in digest.skipped]
        out.append("")
    return "\n".join(out)
