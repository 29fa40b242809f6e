"""The contestants: one implementation of the contract per framework, plus raw baselines."""
