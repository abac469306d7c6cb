"""The build report page (``report/``): what went in, what was skipped and why.

Every input the build could not use is listed with its file (and line, for
JSON Lines and feeds.yaml) and the reason; inputs used with a caveat (no
date, an implausible date, characters removed at the door) are listed apart.
Both lists are grouped by source (in feeds.yaml order) and then by reason: a
reason many inputs share is one line with their count and a few of them, so a
source with 500 broken records gives one line, not 500. The same entries, one
by one, are in ``build-report.json`` beside the site, with the time each stage
took.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from digest.records import Skipped
from digest.site import markdown as md
from digest.site.context import SiteContext
from digest.site.origins import OTHER, source_finder

EXAMPLES = 3  # inputs named on the line of a reason several inputs share


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
    source_of = source_finder(ctx.config.sources, (*d.articles, *d.duplicates))
    labels = [s.label for s in ctx.config.sources]
    out = [md.front_matter(title="Build report", search={"exclude": True},
                           built=ctx.built_label),
           "# Build report\n", f"Built {md.text(built)}: {summary(ctx)}\n",
           "## Skipped inputs\n"]
    out += grouped(d.skipped, source_of, labels) or ["Nothing was skipped.", ""]
    if d.notices:
        out.append("## Kept with a note\n")
        out += grouped(d.notices, source_of, labels)
    return "\n".join(out)


def grouped(entries: Sequence[Skipped], source_of: Callable[[str], str],
            sources: Sequence[str] = ()) -> list[str]:
    """Markdown lines: a heading per source (in the order of ``sources``, then any other,
    :data:`OTHER` last), under it one line per reason with the inputs that gave it: a few,
    and how many in all."""
    groups: dict[str, dict[str, list[str]]] = {}
    for entry in entries:
        groups.setdefault(source_of(entry.origin), {}).setdefault(entry.reason, []).append(
            entry.origin)
    place = {label: i for i, label in enumerate(sources)}
    out: list[str] = []
    for source in sorted(groups, key=lambda s: (s == OTHER, place.get(s, len(place)))):
        reasons = groups[source]
        out.append(f"### {md.text(source)} ({sum(len(o) for o in reasons.values()):,})\n")
        for reason, origins in reasons.items():
            if len(origins) == 1:
                out.append(f"- {_code(origins[0])}: {md.text(reason)}")
                continue
            named = ", ".join(_code(o) for o in origins[:EXAMPLES])
            more = f" and {len(origins) - EXAMPLES:,} more" if len(origins) > EXAMPLES else ""
            out.append(f"- {md.text(reason)}: {len(origins):,} inputs, {named}{more}")
        out.append("")
    return out


def _code(origin: str) -> str:
    """An origin as inline code on one line (a file name may hold a backtick or a newline)."""
    return f"`{' '.join(origin.replace('`', '').split()) or ' '}`"
