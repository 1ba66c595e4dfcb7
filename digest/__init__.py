"""digest: turn scraped paper listings into a curated MkDocs site."""

__version__ = "0.1.0"
