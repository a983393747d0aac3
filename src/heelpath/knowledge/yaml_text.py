"""YAML text to Python data, the one way every knowledge file is parsed."""

from __future__ import annotations

from typing import Any

import yaml

# libyaml's parser when PyYAML was built with it: about ten times faster, same safe subset
_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_BASE_LOADER):  # type: ignore[misc, valid-type]
    """A safe loader that refuses a mapping key given twice, which YAML would otherwise let the later one win
    silently (a finding's second `patterns:` would drop its first)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":  # "<<: *defaults" is no key of its own
                continue
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, (str, int, float, bool, type(None))):
                continue  # the base constructor names an unhashable key
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping", node.start_mark, f"found the key {key!r} twice", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep)


def parse_yaml(text: str) -> Any:
    """Safe-load one YAML document; raises yaml.YAMLError as yaml.safe_load does, also for a key given twice.

    >>> parse_yaml("a: 1\\nb: 2")
    {'a': 1, 'b': 2}
    >>> try:
    ...     parse_yaml("a: 1\\na: 2")
    ... except yaml.YAMLError as error:
    ...     print(error.problem)
    found the key 'a' twice
    """
    return yaml.load(text, Loader=_UniqueKeyLoader)
