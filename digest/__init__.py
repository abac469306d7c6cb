"""newsdigest: scraped articles and feeds in, a browsable MkDocs news digest out.

The pipeline reads top to bottom: ``sources -> clean -> dedupe -> summarize ->
group -> site``; ``pipeline.py`` composes the stages, ``cli.py`` and
``plugin.py`` are the two doors.
"""

__version__ = "0.1.0"
