"""Which pages the site has and what each one shows, one module per page family; plan.py
puts them in order. Plain data in, PageRecords out: no IO and no rendering here."""
