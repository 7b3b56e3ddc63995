"""Pure-Python extraction of government actions against companies from article text.

`extract(text, published, gazetteer, media=...)` reads one article; `extract_many` reads
many through spaCy's `nlp.pipe`. Neither touches Django or the database.
"""

from .pipeline import EXTRACTOR_VERSION, extract, extract_many

__all__ = ["EXTRACTOR_VERSION", "extract", "extract_many"]
