"""content/ -> entries: the content folder's files, the listing layouts, the API's JSON, and
fetching a day's listing."""
