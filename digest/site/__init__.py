"""papers -> pages: which pages exist and what each shows (pages/), rendering them through
the Jinja2 templates, front matter, feeds and data files, charts, redirects and the
navigation. No IO here: the MkDocs side of it (its files, Pagefind) is digest/plugin/."""
