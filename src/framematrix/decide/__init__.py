"""Decision engine: the article's tree and a weighted, explained, evidence-driven matrix."""
