"""The sources page: per feed what it gave, and a link to the build report."""

from __future__ import annotations

from collections import Counter

from digest.config import FEED_TYPES
from digest.site import markdown as md
from digest.site import report_page
from digest.site.context import SiteContext
from digest.site.origins import source_finder
from digest.site.paths import relative


def render(ctx: SiteContext) -> str:
    digest = ctx.digest
    kept = Counter(a.source for a in digest.articles)
    copies = Counter(a.source for a in digest.duplicates)
    latest: dict[str, str] = {}
    for a in (*digest.articles, *digest.duplicates):
        if a.date and a.date > latest.get(a.source, ""):
            latest[a.source] = a.date
    t = ctx.labels
    columns = " | ".join(md.text(t[k]) for k in ("col_source", "col_type", "col_articles",
                                                 "col_duplicates", "col_skipped", "col_latest"))
    out = [md.front_matter(title=t["nav_sources"], search={"exclude": True},
                           built=ctx.built_label), md.heading(1, t["nav_sources"])]
    if ctx.config.sources:
        out += [f"| {columns} |", "| --- | --- | ---: | ---: | ---: | --- |"]
    else:
        out.append(t["no_sources"])
    source_of = source_finder(ctx.config.sources, (*digest.articles, *digest.duplicates))
    skipped_by = Counter(source_of(k) for k in digest.skipped)
    for s in ctx.config.sources:
        skipped = skipped_by[s.label]
        out.append(f"| {md.text(s.label)} | {s.type} | {kept[s.name]} | {copies[s.name]} | "
                   f"{skipped} | {ctx.date(latest.get(s.name))} |")
    out.append("")
    if any(s.url and s.type in FEED_TYPES for s in ctx.config.sources):
        out.append(f"[{md.text(t['opml_link'])}](opml.xml)\n")
    report = relative(ctx.paths.sources, ctx.paths.report)
    said = report_page.summary(ctx)  # opens a paragraph here: a capital first
    out.append(f"{md.heading(2, t['build_report'])}\n{md.text(said[:1].upper() + said[1:])} "
               f"[{md.text(t['every_skipped'])}]({report}).\n")
    return "\n".join(out)
