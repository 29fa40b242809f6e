"""Results: the store of trials, their summaries and statistics, comparisons and sweeps."""
