"""Stories: articles from different outlets about the same event, and their multi-source summary.

* :mod:`.terms`: what an article is matched on (the terms of its title and lead), and its digest;
* :mod:`.grouping`: online average-link clustering of articles, oldest first, a day at a time;
* :mod:`.story`: a story and the sentences of its summary;
* :mod:`.summary`: the multi-source summary of a story's articles;
* :mod:`.home`: which stories the home page lists;
* :mod:`.stage`: the grouping stage of a build, and what it asks of the build state.

How grouping works, and why, is told in the design notes (``docs/design.md``, "Summaries and stories").
"""
