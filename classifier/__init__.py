"""Classifier: propose the catalog items that apply to a draft, with evidence."""

from .kb import KB, load_kb

__all__ = ["KB", "load_kb"]
