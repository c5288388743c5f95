"""The rules layer's side of the mechanism registry: each entry's allocation function.

Layer: rules. :mod:`simulator.mechanisms` holds the entries as data (so the scenario
schema can name them); here an entry's ``allocate`` reference (``module:function``
inside :mod:`simulator.release`) is resolved once to the function itself.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import cache

from simulator.mechanisms import BY_NAME
from simulator.numeric import Array
from simulator.release.inputs import RuleInputs

Allocator = Callable[[RuleInputs], Array]


@cache
def allocator(mechanism: str) -> Allocator:
    """The function that shares a day's release under ``mechanism``'s own sharing rule.

    >>> allocator("talmud").__name__
    'allocate_talmud'
    """
    reference = BY_NAME[mechanism].allocate
    if reference is None:
        raise ValueError(f"mechanism '{mechanism}' has no sharing function of its own")
    module, _, function = reference.partition(":")
    return getattr(importlib.import_module(f"simulator.release.{module}"), function)  # type: ignore[no-any-return]
