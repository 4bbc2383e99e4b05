"""The briefing site: Markdown pages per article and language, built to HTML by MkDocs."""
