"""Field descriptions of the scenario schema, read from the attribute docstrings when asked for.

Layer: ground. Each field of a scenario model is documented by the string written under
it (``horizon_days: int`` then ``\"\"\"Days simulated.\"\"\"``). Pydantic can read these
while it builds each class (``use_attribute_docstrings``), but that parses the source of
each of the schema's 40-odd classes at import and took a third of the schema's import
time, paid by every command. Only the JSON Schema (``stockpile schema``, the scenario
reference) shows descriptions, so they are read here, once, when it is built: the schema
module's source is parsed once and the docstrings are put into the JSON Schema where
pydantic would have put them (an explicit ``Field(description=...)`` still wins).

A field's docstring is that of the class that declares it: a subclass that declares a
field again documents it again (or leaves it undocumented), as with pydantic.
"""

from __future__ import annotations

import ast
import inspect
import sys
from functools import cache
from typing import Any

from pydantic import BaseModel


@cache
def _module_docstrings(module_name: str) -> dict[str, dict[str, str]]:
    """Per top-level class of a module: its attributes' docstrings (cleaned as pydantic does)."""
    tree = ast.parse(inspect.getsource(sys.modules[module_name]))
    found: dict[str, dict[str, str]] = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        docs: dict[str, str] = {}
        for before, after in zip(node.body, node.body[1:], strict=False):
            if (
                isinstance(before, ast.AnnAssign)
                and isinstance(before.target, ast.Name)
                and isinstance(after, ast.Expr)
                and isinstance(after.value, ast.Constant)
                and isinstance(after.value.value, str)
            ):
                docs[before.target.id] = inspect.cleandoc(after.value.value)
        found[node.name] = docs
    return found


def field_docstrings(model: type[BaseModel]) -> dict[str, str]:
    """Docstring of each documented field of ``model``, from the class that declares the field."""
    docs: dict[str, str] = {}
    for name in model.model_fields:
        owner = next((c for c in model.__mro__ if name in inspect.get_annotations(c)), None)
        if owner is None:
            continue
        text = _module_docstrings(owner.__module__).get(owner.__qualname__, {}).get(name)
        if text is not None:
            docs[name] = text
    return docs


def _models(root: type[BaseModel]) -> dict[str, type[BaseModel]]:
    """Every model class reachable from ``root``'s subclasses' family, by the title pydantic gives it."""
    base = next(c for c in reversed(root.__mro__) if issubclass(c, BaseModel) and c is not BaseModel)
    found: dict[str, type[BaseModel]] = {}
    todo = [base]
    while todo:
        cls = todo.pop()
        found[cls.__name__] = cls
        todo.extend(cls.__subclasses__())
    return found


def _described(properties: dict[str, Any], docs: dict[str, str]) -> dict[str, Any]:
    out = {}
    for name, prop in properties.items():
        if name in docs and isinstance(prop, dict) and "description" not in prop:
            prop = dict(sorted({**prop, "description": docs[name]}.items()))  # pydantic sorts a field's keys
        out[name] = prop
    return out


def with_field_descriptions(schema: dict[str, Any], root: type[BaseModel]) -> dict[str, Any]:
    """``schema`` (pydantic's JSON Schema of ``root``) with each field's docstring as its description."""
    models = _models(root)

    def describe(definition: dict[str, Any]) -> dict[str, Any]:
        model = models.get(str(definition.get("title")))
        if model is None or "properties" not in definition:
            return definition
        return {**definition, "properties": _described(definition["properties"], field_docstrings(model))}

    out = describe(schema)
    if "$defs" in schema:
        out["$defs"] = {name: describe(definition) for name, definition in schema["$defs"].items()}
    return out
