"""Tag pages: an index of every tag, and a page per tag listing its articles."""

from __future__ import annotations

from digest.site import markdown as md
from digest.site.context import SiteContext, by_date_desc
from digest.site.paths import relative

PAGE_MAX = 100  # newest articles listed on a tag page, so a common name keeps a light page


def render(ctx: SiteContext) -> dict[str, str]:
    """The tags index and one page per tag (none searched), keyed by source path; no
    pages when no key phrase is shared by enough articles."""
    if not ctx.tags:
        return {}
    index_path = ctx.paths.tags_index
    t = ctx.labels
    index = [md.front_matter(title=t["tags_title"], search={"exclude": True}),
             f"# {t['tags_title']}\n", f"{t['tags_intro']}\n"]
    pages: dict[str, str] = {}
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
        index.append(f"- {md.link(tag.name, relative(index_path, path))} · "
                     f"*{ctx.count('articles', len(articles))}*")
    pages[index_path] = "\n".join(index) + "\n"
    return pages
