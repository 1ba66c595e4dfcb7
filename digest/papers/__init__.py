"""entries -> papers: merging entries into papers, topics and their rule matcher, editors'
notes, kinds (surveys, benchmarks, datasets) and related papers. Pure: no IO."""
