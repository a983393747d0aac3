"""Knowledge: the clinical data files, their schemas, and the loader that validates them."""

from heelpath.knowledge.loader import KnowledgeBase, load_kb, load_kb_from

__all__ = ["KnowledgeBase", "load_kb", "load_kb_from"]
