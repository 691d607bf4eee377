"""The tiny condition language of role-play scenarios (``when = "anger >= 60 and identified"``).

A drill reacts to the state of the call: an abusive debtor answers differently once the
collector has calmed him down, an option only makes sense after the right party has
been verified, a stalling debtor's third excuse differs from the first. Authors write
those conditions as short expressions, borrowed from Yarn's ``when:`` and ink's visit
counts:

- names: mood names (``anger``), flags set by options (``identified``), ``turn`` (turns
  taken so far); an unset flag reads as ``false`` (which also equals ``0``);
- ``visits('node_id')``: how many times the call has entered that node or ending,
  counting the current visit;
- numbers, strings, ``true``/``false``; ``and``, ``or``, ``not``; comparisons (chains
  such as ``20 <= anger < 60`` work); ``+``, ``-`` and unary minus.

Scenario files are data written by people, so a condition is never handed to
``eval``. It is parsed once with :mod:`ast`, every node is checked against a short
whitelist, and the tree is compiled into plain Python closures. Anything else (calls
other than ``visits``, attributes, subscripts, ``**``, lambdas) is rejected with a
message that says what is allowed. Which *names* exist depends on the whole scenario,
so :meth:`Condition.check_names` is run by the loader once the scenario is read.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import GetCoreSchemaHandler
from pydantic_core import core_schema

from sim.errors import suggest

Value = int | float | bool | str
"""What a name or sub-expression evaluates to."""

LITERAL_NAMES: Mapping[str, bool] = {"true": True, "false": False, "True": True, "False": False}
"""Names that are constants, so authors can write TOML-style ``true``."""

BUILTIN_NAMES = frozenset({"turn"})
"""Names the engine provides besides moods and flags."""

ALLOWED = (
    "and, or, not, comparisons (< <= == != >= >), + and -, numbers, strings, "
    "true/false, names and visits('node_id')"
)


MAX_LENGTH = 500
"""Longest condition accepted, in characters (shipped ones are under 50)."""

MAX_DEPTH = 20
"""Deepest nesting of operators accepted (``not not not x`` is 3 deep)."""

MAX_NODES = 200
"""Most names, constants and operators in one condition."""


class ConditionError(ValueError):
    """A condition that cannot be parsed or uses something outside the whitelist."""


class Env:
    """What a condition can see: current values by name, and visit counts by node id."""

    __slots__ = ("values", "visit_counts")

    def __init__(self, values: Mapping[str, Value], visit_counts: Mapping[str, int]) -> None:
        self.values = values
        self.visit_counts = visit_counts


Compiled = Callable[[Env], Any]

_COMPARE: Mapping[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}
_ARITH: Mapping[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
}


def _compare(op: Callable[[Any, Any], bool], left: Any, right: Any) -> bool:
    try:
        return op(left, right)
    except TypeError:
        # "stage < 3" while stage holds a string: no ordering exists, so the test fails
        # rather than crashing a trainee's drill; lint reports such mixes.
        return False


@dataclass(frozen=True)
class Condition:
    """A parsed, whitelisted condition. Compare and hash by source text."""

    source: str
    names: frozenset[str] = field(compare=False)
    """Every variable name used (not ``true``/``false``)."""
    visit_targets: frozenset[str] = field(compare=False)
    """Node or ending ids passed to ``visits()``."""
    constants: frozenset[int | float] = field(compare=False)
    """Numeric constants, used by lint to probe values either side of each threshold."""
    _fn: Compiled = field(compare=False, repr=False)

    @classmethod
    def parse(cls, source: str) -> Condition:
        """Parse ``source``; raise :class:`ConditionError` with what is allowed."""
        text = source.strip()
        if not text:
            raise ConditionError("empty condition")
        if len(text) > MAX_LENGTH:
            # Checked before parsing: a 100,000-term expression must not reach the parser.
            raise ConditionError(f"condition is {len(text):,} characters long "
                                 f"({text[:40]!r}...); at most {MAX_LENGTH} allowed")
        try:
            tree = ast.parse(text, mode="eval")
        except SyntaxError as exc:
            raise ConditionError(f"cannot parse condition {text!r}: {exc.msg}") from None
        except (RecursionError, MemoryError):
            raise ConditionError(f"condition nests too deeply ({text[:40]!r}...); "
                                 f"at most {MAX_DEPTH} levels allowed") from None
        _check_shape(tree.body, text)
        names: set[str] = set()
        visits: set[str] = set()
        constants: set[int | float] = set()
        fn = _compile(tree.body, text, names, visits, constants)
        return cls(text, frozenset(names), frozenset(visits), frozenset(constants), fn)

    def __reduce__(self) -> tuple[object, tuple[str]]:
        # The compiled closures cannot be pickled; the source re-parses to the same thing.
        return (Condition.parse, (self.source,))

    def __call__(self, env: Env) -> bool:
        return bool(self._fn(env))

    def evaluate(self, values: Mapping[str, Value], visit_counts: Mapping[str, int]) -> bool:
        """Evaluate against plain mappings (convenience for tests and tools)."""
        return self(Env(values, visit_counts))

    def check_names(
        self, known: Iterable[str], nodes: Iterable[str]
    ) -> list[tuple[str, str | None]]:
        """Unknown names and ``visits`` targets as ``(message, did-you-mean)`` pairs."""
        known_set = set(known) | BUILTIN_NAMES
        node_set = set(nodes)
        out: list[tuple[str, str | None]] = []
        for name in sorted(self.names - known_set):
            out.append(
                (f"unknown name {name!r} in condition {self.source!r}", suggest(name, known_set))
            )
        for target in sorted(self.visit_targets - node_set):
            out.append((f"visits({target!r}) names no node or ending", suggest(target, node_set)))
        return out

    def __str__(self) -> str:
        return self.source

    # pydantic integration: a field typed ``Condition`` accepts a string and dumps as one.
    @classmethod
    def __get_pydantic_core_schema__(
        cls, source_type: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        def validate(value: object) -> Condition:
            if isinstance(value, Condition):
                return value
            if not isinstance(value, str):
                raise ValueError('a condition must be a string, e.g. "anger >= 60"')
            return cls.parse(value)

        return core_schema.no_info_plain_validator_function(
            validate,
            serialization=core_schema.plain_serializer_function_ser_schema(lambda c: c.source),
        )


def _check_shape(root: ast.expr, text: str) -> None:
    """Refuse a tree deeper than :data:`MAX_DEPTH` or larger than :data:`MAX_NODES`.

    Walked with an explicit stack, so the check itself cannot exhaust Python's.
    """
    stack: list[tuple[ast.AST, int]] = [(root, 1)]
    count = 0
    while stack:
        node, depth = stack.pop()
        count += 1
        if depth > MAX_DEPTH:
            raise ConditionError(f"condition nests too deeply ({text[:40]!r}...); "
                                 f"at most {MAX_DEPTH} levels allowed")
        if count > MAX_NODES:
            raise ConditionError(f"condition has too many terms ({text[:40]!r}...); "
                                 f"at most {MAX_NODES} names, numbers and operators allowed")
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node)
                     if isinstance(child, ast.expr))


def _compile(
    node: ast.expr, text: str, names: set[str], visits: set[str], constants: set[int | float]
) -> Compiled:
    def sub(child: ast.expr) -> Compiled:
        return _compile(child, text, names, visits, constants)

    if isinstance(node, ast.BoolOp):
        parts = [sub(v) for v in node.values]
        if isinstance(node.op, ast.And):
            return lambda env: all(p(env) for p in parts)
        return lambda env: any(p(env) for p in parts)
    if isinstance(node, ast.UnaryOp):
        operand = sub(node.operand)
        if isinstance(node.op, ast.Not):
            return lambda env: not operand(env)
        if isinstance(node.op, ast.USub):
            return lambda env: -operand(env)
        raise _refuse(node, text)
    if isinstance(node, ast.BinOp):
        arith = _ARITH.get(type(node.op))
        if arith is None:
            raise _refuse(node, text)
        left, right = sub(node.left), sub(node.right)
        return lambda env: arith(left(env), right(env))
    if isinstance(node, ast.Compare):
        ops = []
        for op in node.ops:
            fn = _COMPARE.get(type(op))
            if fn is None:
                raise _refuse(op, text)
            ops.append(fn)
        terms = [sub(node.left), *(sub(c) for c in node.comparators)]

        def compare(env: Env) -> bool:
            left = terms[0](env)
            for op_fn, term in zip(ops, terms[1:], strict=True):
                right = term(env)
                if not _compare(op_fn, left, right):
                    return False
                left = right
            return True

        return compare
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool | str):
            return lambda env: value
        if isinstance(value, int | float):
            constants.add(value)
            return lambda env: value
        raise _refuse(node, text)
    if isinstance(node, ast.Name):
        name = node.id
        if name in LITERAL_NAMES:
            literal = LITERAL_NAMES[name]
            return lambda env: literal
        names.add(name)
        return lambda env: env.values.get(name, False)
    if isinstance(node, ast.Call):
        if (
            isinstance(node.func, ast.Name)
            and node.func.id == "visits"
            and len(node.args) == 1
            and not node.keywords
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            target = node.args[0].value
            visits.add(target)
            return lambda env: env.visit_counts.get(target, 0)
        raise ConditionError(f"only visits('node_id') may be called in a condition (in {text!r})")
    raise _refuse(node, text)


def _refuse(node: ast.AST, text: str) -> ConditionError:
    try:
        shown = ast.unparse(node)
    except Exception:  # an operator node has no source form of its own
        shown = type(node).__name__
    return ConditionError(f"{shown!r} is not allowed in condition {text!r}; allowed: {ALLOWED}")
