"""A sweep's transform hook is named in its fingerprint, a functools.partial included."""

from __future__ import annotations

import copy
from functools import partial

import pytest

from simulator.errors import InputError, Problem
from simulator.scenario import Scenario
from simulator.sweep.runner import build_point, callable_name
from tests.helpers import TWO_MEMBERS


def _scaled(scenario: Scenario, factor: float, member: str = "eu") -> Scenario:
    return scenario


def test_a_function_is_named_by_module_and_qualified_name():
    assert callable_name(_scaled) == f"{__name__}._scaled"


def test_a_partial_is_named_with_the_arguments_it_fixes():
    name = f"{__name__}._scaled"
    assert callable_name(partial(_scaled, factor=0.5)) == f"{name}(factor=0.5)"
    assert callable_name(partial(_scaled, 2.0, member="japan")) == f"{name}(2.0, member='japan')"
    # two partials of one function that fix other values are two transforms: a resume must not mix them
    assert callable_name(partial(_scaled, factor=0.5)) != callable_name(partial(_scaled, factor=0.6))
    # Python flattens a partial of a partial: its arguments are all named, in order
    assert callable_name(partial(partial(_scaled, 1.0), member="eu")) == f"{name}(1.0, member='eu')"


def test_a_transform_that_refuses_a_point_names_the_file_and_the_point():
    def refuse(scenario: Scenario) -> Scenario:
        raise InputError([Problem("agreement.pool.already_held", "'japan' puts nothing into the pool")])

    with pytest.raises(InputError) as caught:
        build_point(copy.deepcopy(TWO_MEMBERS), {"agreement.ratio.japan": 0.3}, "two.yaml", refuse)
    assert str(caught.value) == (
        "two.yaml [agreement.ratio.japan=0.3]: agreement.pool.already_held: 'japan' puts nothing into the pool"
    )
