"""The build report page (``report/``): what went in, what was skipped and why.

Every input the build could not use is listed with its file (and line, for
JSON Lines and feeds.yaml) and the reason; inputs used with a caveat (no
date, an implausible date, characters removed at the door) are listed apart.
Both lists are grouped by source (in feeds.yaml order) and then by reason: a
reason many inputs share is one line with their count first ("no text: 69
inputs"), then the inputs themselves (up to :data:`LISTED`), so a person sees
what happened to a source before any one input. The same entries, one by one,
are in ``build-report.json`` beside the site, with the time each stage took.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from digest.site import markdown as md
from digest.site.context import SiteContext
from digest.site.origins import Group, grouped

LISTED = 200  # inputs listed under a reason on the page (build-report.json lists them all)


def summary(ctx: SiteContext) -> str:
    """One line: articles, duplicates merged, topics, inputs skipped."""
    d = ctx.digest
    return ", ".join(ctx.count(key, len(items)) for key, items in (
        ("published", d.articles), ("merged", d.duplicates), ("topics", d.topics),
        ("skipped", d.skipped), ("noted", d.notices))) + "."


def render(ctx: SiteContext) -> str:
    d = ctx.digest
    t = ctx.labels
    built = ctx.built_label or t["unknown"]
    made = (*d.articles, *d.duplicates)
    out = [md.front_matter(title=t["build_report"], search={"exclude": True},
                           built=ctx.built_label),
           md.heading(1, t["build_report"]),
           t["built_at"].format(when=md.text(built), summary=md.text(summary(ctx))) + "\n",
           md.heading(2, t["skipped_inputs"])]
    out += listed(ctx, grouped(d.skipped, ctx.config.sources, made)) or [
        md.text(t["nothing_skipped"]), ""]
    if d.notices:
        out.append(md.heading(2, t["kept_with_note"]))
        out += listed(ctx, grouped(d.notices, ctx.config.sources, made))
    return "\n".join(out)


def listed(ctx: SiteContext, groups: Sequence[Group], limit: int = LISTED) -> list[str]:
    """Markdown lines: a heading per source with its count, under it one line per reason
    with how many inputs gave it, then those inputs (up to ``limit`` per reason; all of them
    are in ``build-report.json``)."""
    out: list[str] = []
    for source, of_source in groupby(groups, key=lambda g: g.source):
        reasons = list(of_source)
        out.append(f"### {md.text(source)} ({sum(len(g.origins) for g in reasons):,})\n")
        for group in reasons:
            if len(group.origins) == 1:
                out.append(f"- {_code(group.origins[0])}: {md.text(group.reason)}")
                continue
            out.append(f"- {md.text(group.reason)}: {ctx.count('inputs', len(group.origins))}")
            out.extend(f"    - {_code(o)}" for o in group.origins[:limit])
            if len(group.origins) > limit:
                more = ctx.labels["more_listed"].format(n=len(group.origins) - limit,
                                                        file="`build-report.json`")
                out.append(f"    - {more}")
        out.append("")
    return out


def _code(origin: str) -> str:
    """An origin as inline code on one line (a file name may hold a backtick or a newline)."""
    return f"`{' '.join(origin.replace('`', '').split()) or ' '}`"
