"""Running rules fast: topics' phrases and patterns (matching.RuleIndex) and the kinds'
expressions (fastsearch.Searcher) give exactly what `re` finds, trying only the texts and the
places where a match can be, as the expressions' literals tell (literals, wordtests)."""
