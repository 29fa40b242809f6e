"""Presenting results: terminal tables, HTML, Markdown, JSON and CSV, all from one schema."""
