"""The runner: a plan checked once, its trials measured and stored as they end, the budget."""
