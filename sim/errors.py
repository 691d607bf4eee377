"""Errors for bad input files, written for the analyst who wrote the file.

Every file RecoveryLab reads (simulation scenarios, rule packs, experiment grids,
role-play scenarios) is TOML checked by a frozen pydantic model. When a file is
wrong, the person fixing it needs four things: which file, which key, what value
was there, and what was expected -- plus the nearest valid key when a name looks
mistyped. :class:`ConfigError` carries exactly that, and the command-line tools
print it and exit with code 2 instead of showing a traceback.

This module is the one place that turns TOML syntax errors and pydantic
``ValidationError`` objects into that form, so every loader reports problems the
same way.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    # pydantic is imported where a file is validated, not here: the error types and
    # exit codes are needed by every command at start-up (the trainer's first screen
    # among them), and pydantic alone takes a quarter of a second to import.
    from pydantic import BaseModel, BeforeValidator, ValidationError

EXIT_OK = 0
"""Exit code of a command that ran and found nothing wrong."""
EXIT_FINDINGS = 1
"""Exit code of ``lint`` and ``playthrough`` when they report findings."""
EXIT_BAD_INPUT = 2
"""Exit code of every command-line tool when its input is invalid."""
EXIT_INTERRUPTED = 130
"""Exit code after Ctrl-C (128 + SIGINT, the shell convention); nothing is written."""

M = TypeVar("M", bound="BaseModel")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input file."""

    key: str
    """Dotted key path inside the file, e.g. ``staffing.teams.early.headcount``."""
    message: str
    """What is wrong, in words."""
    value: object = None
    """The offending value, if there was one."""
    expected: str = ""
    """What would have been accepted."""
    suggestion: str | None = None
    """The nearest valid key or name, for a likely typo."""

    def render(self) -> str:
        """Format the problem as indented lines for a terminal."""
        where = self.key or "(top level)"
        lines = [f"  at {where}: {self.message}"]
        if self.value is not None:
            lines.append(f"    got: {self.value!r}")
        if self.expected:
            lines.append(f"    expected: {self.expected}")
        if self.suggestion:
            lines.append(f"    did you mean {self.suggestion!r}?")
        return "\n".join(lines)


class ConfigError(Exception):
    """An input file that cannot be used, with every problem found in it."""

    def __init__(
        self,
        path: str | Path | None,
        problems: Sequence[Problem],
        referenced_by: tuple[str, str] | None = None,
    ) -> None:
        self.path = str(path) if path is not None else "<in-memory>"
        self.problems = tuple(problems)
        self.referenced_by = referenced_by
        """``(file, key)`` that pointed at this file, when the problem is in a file that
        another one inherits or names (a rule pack, a base scenario, a tag list)."""
        super().__init__(self.render())

    def with_reference(self, file: str, key: str) -> ConfigError:
        """The same problems, noting that ``file`` pointed at this file from ``key``."""
        return ConfigError(self.path, self.problems, (file, key))

    def render(self) -> str:
        """Format all problems, headed by the file name (and who referenced it)."""
        count = len(self.problems)
        head = f"error: {self.path}: {count} problem{'s' if count != 1 else ''}"
        if self.referenced_by is not None:
            head += f" (referenced by {self.referenced_by[0]} at {self.referenced_by[1]})"
        return "\n".join([head, *(p.render() for p in self.problems)])


class StrategyError(ValueError):
    """A strategy that failed during a run: which strategy, on which day, and why.

    Raised by :mod:`sim.python_strategy` for a user's Python strategy that raises,
    returns an unknown action or exceeds the contact policy; the command line prints it
    and exits 2. Picklable, so it comes back whole from a process or Dask worker. A
    ``ValueError``: the strategy gave the engine a value it cannot use.
    """

    def __init__(self, strategy: str, day: int, message: str) -> None:
        self.strategy, self.day, self.message = strategy, day, message
        super().__init__(strategy, day, message)

    def __str__(self) -> str:
        return f"strategy {self.strategy} failed on day {self.day}: {self.message}"

    def render(self) -> str:
        """The message the command line prints."""
        return f"error: {self}\n  (nothing was written)"


def suggest(name: str, choices: Iterable[str]) -> str | None:
    """Return the valid choice closest to a mistyped ``name``, if any is close."""
    matches = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return matches[0] if matches else None


def one_of(literal: Any, what: str) -> BeforeValidator:
    """A validator for a ``Literal`` field that names the choices and the nearest one.

    Use as ``Annotated[Severity, one_of(Severity, "severity")]``: a mistyped string
    becomes "unknown severity 'majr' (did you mean 'major'?)" with the valid choices
    as the expected value; anything else falls through to the ``Literal`` check.
    """
    choices = tuple(str(c) for c in typing.get_args(literal))
    return one_of_names(lambda: choices, what)


def one_of_names(names: Callable[[], Sequence[str]], what: str) -> BeforeValidator:
    """Like :func:`one_of` for choices known only when a file is read (``names()``),
    such as the declared channels, which a program may add to."""

    from pydantic import BeforeValidator
    from pydantic_core import PydanticCustomError

    def check(value: object) -> object:
        choices = tuple(names())
        if isinstance(value, str) and value not in choices:
            near = suggest(value, choices)
            raise PydanticCustomError(
                "unknown_choice",
                "unknown {what} {got}{hint}",
                {
                    "what": what,
                    "got": repr(value),
                    "hint": f" (did you mean {near!r}?)" if near else "",
                    "expected": "one of: " + ", ".join(choices),
                },
            )
        return value

    return BeforeValidator(check)


def read_toml(path: str | Path) -> dict[str, Any]:
    """Read a TOML file through the one reader, :func:`sim.files.read_toml`."""
    from sim.files import read_toml as read

    return read(path)


def validate(
    model: type[M],
    data: Mapping[str, Any],
    path: str | Path | None,
    context: dict[str, Any] | None = None,
) -> M:
    """Validate ``data`` against ``model``; explain every failure as a :class:`Problem`.

    ``context`` is handed to pydantic validators (``info.context``); a model may use it
    to collect cross-field problems with exact key paths instead of raising.
    """
    from pydantic import ValidationError

    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        raise ConfigError(path, explain(exc, model)) from None


def explain(exc: ValidationError, model: type[BaseModel]) -> list[Problem]:
    """Turn a pydantic ``ValidationError`` into problems a person can act on."""
    problems: list[Problem] = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        key = dotted(loc)
        value = err.get("input")
        if err["type"] == "extra_forbidden":
            valid = field_names_at(model, loc[:-1])
            problems.append(
                Problem(
                    key,
                    "unknown key",
                    value=None,
                    expected="one of: " + ", ".join(sorted(valid)) if valid else "",
                    suggestion=suggest(str(loc[-1]), valid),
                )
            )
            continue
        if err["type"] == "missing":
            problems.append(Problem(key, "required key is missing"))
            continue
        message = str(err["msg"]).removeprefix("Value error, ")
        shown = value if not isinstance(value, Mapping | list) else None
        problems.append(Problem(key, message, value=shown, expected=_expected(err)))
    return problems


def dotted(loc: Sequence[int | str]) -> str:
    """Render a pydantic location tuple as a dotted key path (list indices in brackets)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _expected(err: Mapping[str, Any]) -> str:
    ctx = err.get("ctx") or {}
    if "expected" in ctx:
        return str(ctx["expected"])
    for bound, word in (("ge", ">="), ("gt", ">"), ("le", "<="), ("lt", "<")):
        if bound in ctx:
            return f"a number {word} {ctx[bound]}"
    return ""


def field_names_at(model: type[BaseModel], loc: Sequence[int | str]) -> list[str]:
    """List the keys a model accepts at location ``loc`` (empty if it is not a model)."""
    current: Any = model
    for part in loc:
        current = _step(current, part)
        if current is None:
            return []
    current = _unwrap_model(current)
    if current is None:
        return []
    return [info.alias or name for name, info in current.model_fields.items()]


def _step(annotation: Any, part: int | str) -> Any:
    model = _unwrap_model(annotation)
    if model is not None and isinstance(part, str) and part in model.model_fields:
        return model.model_fields[part].annotation
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (list, tuple, Sequence) and args:
        return args[0]
    if origin in (dict, Mapping) and len(args) == 2:
        return args[1]
    if origin in (typing.Union, types.UnionType):
        for arg in args:
            stepped = _step(arg, part)
            if stepped is not None:
                return stepped
    return None


def _unwrap_model(annotation: Any) -> type[BaseModel] | None:
    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _unwrap_model(arg)
            if found is not None:
                return found
    if typing.get_origin(annotation) is typing.Annotated:
        return _unwrap_model(typing.get_args(annotation)[0])
    return None
