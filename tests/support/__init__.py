"""Helpers for tests that are not fixtures: real tools that watch real processes."""
