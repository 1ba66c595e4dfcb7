"""papers -> pages: which pages exist and what each shows (pages/), rendering them through
the Jinja2 templates, front matter, feeds and data files, charts, and the MkDocs plugin."""
