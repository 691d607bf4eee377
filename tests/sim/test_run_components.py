"""The run's state is split into components that do not reach into each other.

A replication's mutable state is the book (:class:`sim.accounts.Accounts`), the ledger,
the policy and the floor; the day's steps are built from the components they use. These
checks read the source (AST) and the classes, so a step or component that starts to
reach into another's state -- a private attribute, an undeclared attribute, rebinding
another object's attribute, a mixin over shared state, an import of another
component's module -- fails here, whatever the results of a run.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import pytest

import sim
from sim.accounts import Accounts
from sim.engine import Run
from sim.evening import Evening
from sim.floor import Floor, InboundDesk
from sim.ledger import Ledger
from sim.morning import Batch, Morning
from sim.policy import Policy
from sim.promises import Promises
from sim.rates import Rates
from sim.run_state import RunContext
from sim.staffed_floor import StaffedFloor

SIM = Path(sim.__file__).parent

COMPONENTS: dict[str, type] = {
    "Accounts": Accounts, "Ledger": Ledger, "Policy": Policy, "StaffedFloor": StaffedFloor,
}
"""The run's mutable components: book, ledger, policy, floor."""

INTERFACES: dict[str, type] = {
    **COMPONENTS, "Floor": Floor, "InboundDesk": InboundDesk, "Promises": Promises,
    "Rates": Rates, "RunContext": RunContext,
}
"""Every class the steps are handed, by the name their annotations use."""

RUN_MODULES = ("accounts", "engine", "evening", "ledger", "morning", "policy", "promises",
               "rates", "run_state", "staffed_floor")
"""Where a run's state lives and changes (sim.floor's own record types are its business)."""

COMPONENT_IMPORTS = {
    "sim.accounts": {"sim.ledger"},  # books each money movement in the ledger it is handed
    "sim.ledger": set(),
    "sim.policy": set(),
    "sim.staffed_floor": {"sim.floor"},  # the floor component's SimPy parts
    "sim.floor": set(),
}
"""The only imports allowed between component modules."""


def _tree(module: str) -> ast.Module:
    return ast.parse((SIM / f"{module}.py").read_text(encoding="utf-8"))


def _is_self(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id in ("self", "cls")


def private_reaches(tree: ast.AST) -> list[str]:
    """``x._name`` where ``x`` is not ``self``: another object's private state."""
    return [ast.unparse(n) for n in ast.walk(tree)
            if isinstance(n, ast.Attribute) and n.attr.startswith("_")
            and not n.attr.startswith("__") and not _is_self(n.value)]


def foreign_rebinds(tree: ast.AST) -> list[str]:
    """``x.attr = ...`` (or ``+=``, ``|=``) where ``x`` is not ``self``.

    Changing what another object's attribute refers to is reaching into it; filling an
    array a component exposes (``book.dpd[idx] += 1``) is using its columns."""
    found = []
    for n in ast.walk(tree):
        targets: list[ast.expr] = []
        if isinstance(n, ast.Assign):
            targets = list(n.targets)
        elif isinstance(n, ast.AugAssign | ast.AnnAssign):
            targets = [n.target]
        flat = [e for t in targets for e in (t.elts if isinstance(t, ast.Tuple) else [t])]
        found += [ast.unparse(t) for t in flat
                  if isinstance(t, ast.Attribute) and not _is_self(t.value)]
    return found


def public_names(cls: type) -> set[str]:
    return {n for n in dir(cls) if not n.startswith("_")}


def undeclared_uses(tree: ast.AST) -> list[str]:
    """Attributes used on a component (known from the annotations of the parameters it
    came in by) that its class does not declare publicly."""
    found: list[str] = []
    for cls in [n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)] + [tree]:
        held: dict[str, str] = {}  # self attribute -> class name, from __init__
        body = cls.body if isinstance(cls, ast.ClassDef) else []
        for fn in [f for f in body if isinstance(f, ast.FunctionDef) and f.name == "__init__"]:
            params = {a.arg: ast.unparse(a.annotation) for a in fn.args.args + fn.args.kwonlyargs
                      if a.annotation is not None}
            for st in ast.walk(fn):
                if (isinstance(st, ast.Assign) and isinstance(st.value, ast.Name)
                        and st.value.id in params):
                    for t in st.targets:
                        if isinstance(t, ast.Attribute) and _is_self(t.value):
                            held[t.attr] = params[st.value.id]
        functions = [f for f in (body if isinstance(cls, ast.ClassDef) else cls.body)
                     if isinstance(f, ast.FunctionDef)]
        for fn in functions:
            local = {a.arg: ast.unparse(a.annotation) for a in fn.args.args + fn.args.kwonlyargs
                     if a.annotation is not None}
            for st in ast.walk(fn):
                if isinstance(st, ast.Assign) and len(st.targets) == 1:
                    t, v = st.targets[0], st.value
                    pairs = (zip(t.elts, v.elts, strict=False)
                             if isinstance(t, ast.Tuple) and isinstance(v, ast.Tuple)
                             else [(t, v)])
                    for name, value in pairs:
                        if (isinstance(name, ast.Name) and isinstance(value, ast.Attribute)
                                and _is_self(value.value) and value.attr in held):
                            local[name.id] = held[value.attr]
            for n in ast.walk(fn):
                if not isinstance(n, ast.Attribute):
                    continue
                v = n.value
                kind = None
                if isinstance(v, ast.Name):
                    kind = local.get(v.id)
                elif isinstance(v, ast.Attribute) and _is_self(v.value):
                    kind = held.get(v.attr)
                if kind in INTERFACES and n.attr not in public_names(INTERFACES[kind]):
                    found.append(f"{ast.unparse(n)} ({kind})")
    return found


@pytest.mark.parametrize("module", RUN_MODULES)
def test_no_run_module_touches_another_objects_private_state(module: str) -> None:
    assert private_reaches(_tree(module)) == []


@pytest.mark.parametrize("module", RUN_MODULES)
def test_no_run_module_rebinds_another_objects_attributes(module: str) -> None:
    assert foreign_rebinds(_tree(module)) == []


@pytest.mark.parametrize("module", RUN_MODULES)
def test_components_are_used_only_through_their_declared_interface(module: str) -> None:
    assert undeclared_uses(_tree(module)) == []


def test_the_checks_catch_a_step_reaching_in() -> None:
    """The three source checks find what they are for (else they could pass vacuously)."""
    source = '''
class Step:
    def __init__(self, accounts: Accounts, policy: Policy) -> None:
        self._accounts = accounts
        self._policy = policy

    def run(self, d: int) -> None:
        accounts, policy = self._accounts, self._policy
        accounts.columns.dpd[0] += 1          # fine: the book's columns are its interface
        accounts.anyone_reported = True       # rebinding the book's attribute
        policy._calls.clear()                 # private state of the policy
        self._policy.breaches_today += 1      # undeclared, and a rebind
        accounts.window_days                  # undeclared
'''
    tree = ast.parse(source)
    assert private_reaches(tree) == ["policy._calls"]
    assert sorted(foreign_rebinds(tree)) == ["accounts.anyone_reported",
                                             "self._policy.breaches_today"]
    assert sorted(undeclared_uses(tree)) == ["accounts.window_days (Accounts)",
                                             "policy._calls (Policy)",
                                             "self._policy.breaches_today (Policy)"]


def test_the_run_is_not_one_object() -> None:
    """The run holds its components; no class inherits another's state."""
    parts = [*COMPONENTS.values(), Morning, Evening, Promises, Rates, Run]
    for cls in parts:
        assert not any(other in cls.__mro__[1:] for other in parts), cls
    assert Run.__mro__ == (Run, object)


@pytest.mark.parametrize("cls", [Accounts, Policy, StaffedFloor, Morning, Evening, Promises,
                                 Rates, Batch])
def test_components_and_steps_cannot_grow_undeclared_state(cls: type) -> None:
    """``__slots__`` everywhere in the hierarchy: an attribute nobody declared is refused."""
    assert all("__dict__" not in vars(k) for k in cls.__mro__[:-1]), cls
    assert "__slots__" in vars(cls)


def test_a_component_module_imports_no_other_component() -> None:
    for module, allowed in COMPONENT_IMPORTS.items():
        tree = ast.parse(inspect.getsource(importlib.import_module(module)))
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import)
                     for a in n.names}
        others = (set(COMPONENT_IMPORTS) - {module}) & imported
        assert others <= allowed, (module, others - allowed)


def test_the_steps_are_handed_components_not_a_run() -> None:
    """Each step names in its constructor exactly the parts it uses."""
    for step in (Morning, Evening):
        hints = inspect.signature(step.__init__).parameters
        kinds = {p.annotation for p in hints.values() if p.name != "self"}
        assert {"Accounts", "Ledger", "Policy", "StaffedFloor", "RunContext"} <= kinds
        assert "Run" not in kinds
