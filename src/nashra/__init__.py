"""Nashra: Arabic news articles in, a bilingual Arabic/English briefing out."""

__version__ = "0.1.0"

__all__ = ["__version__"]
