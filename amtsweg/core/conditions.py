"""A small, safe evaluator for conditions: of a form's steps and fields, and of a fee.

It lives in core because the form engine (applications) and the fee schedule (catalogue,
payments) both use the one language.

Conditions are written by department admins, so they are never handed to
``eval``: the expression is parsed into a Python AST and only a handful of
node types are interpreted here. Allowed:

- names of answers (``relationship``; an answer not given is None),
- constants (text, whole and decimal numbers, true/false, None), list and tuple literals,
- comparisons ``== != < <= > >= in not in``, ``and``, ``or``, ``not``, unary minus,
- the functions ``age(date)``, ``today()``, ``days_since(date)``, ``years_between(date, date)`` and ``len(x)``.

Example: ``age(birth_date) >= 16 and relationship in ['self', 'sibling']``.
A comparison that Python could not make (None < 3, "a" < 1) is simply false.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Callable, Mapping
from typing import Any

from . import dates

MAX_LENGTH = 2000  # characters; a condition is one line, not a program
MAX_DEPTH = 30  # nesting of the syntax tree, so deep nesting cannot exhaust the stack


class ConditionError(ValueError):
    """A condition that cannot be parsed or uses something that is not allowed."""


def _age(value: Any) -> int | None:
    born = dates.parse_iso_date(value)
    return None if born is None else dates.age_on(born, dates.today())


def _today() -> str:
    return dates.today().isoformat()


def _days_since(value: Any) -> int | None:
    day = dates.parse_iso_date(value)
    return None if day is None else (dates.today() - day).days


def _years_between(first: Any, second: Any) -> int | None:
    """Whole years from the first date to the second (an age at an event); None if either is missing."""
    start, end = dates.parse_iso_date(first), dates.parse_iso_date(second)
    return None if start is None or end is None else dates.age_on(start, end)


def _len(value: Any) -> int | None:
    if value is None:
        return 0  # no answer has no items; lets "len(children) > 0" work before the question
    if isinstance(value, str | list | tuple | dict):
        return len(value)
    return None


FUNCTIONS: dict[str, tuple[int, Callable[..., Any]]] = {
    "age": (1, _age),
    "today": (0, _today),
    "days_since": (1, _days_since),
    "years_between": (2, _years_between),
    "len": (1, _len),
}

_COMPARISONS: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}

_CONSTANT_TYPES = (str, int, float, bool, type(None))


def _describe(node: ast.AST) -> str:
    descriptions = {
        ast.Attribute: "attribute access (a.b)",
        ast.Subscript: "subscripts (a[0])",
        ast.Lambda: "lambda",
        ast.ListComp: "comprehensions",
        ast.SetComp: "comprehensions",
        ast.DictComp: "comprehensions",
        ast.GeneratorExp: "comprehensions",
        ast.JoinedStr: "f-strings",
        ast.BinOp: "arithmetic",
        ast.IfExp: "'x if y else z'",
        ast.NamedExpr: "assignment (:=)",
        ast.Dict: "dict literals",
        ast.Set: "set literals",
        ast.Starred: "starred expressions",
        ast.Await: "await",
    }
    return descriptions.get(type(node), type(node).__name__)


def _check(node: ast.AST, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise ConditionError("the condition is nested too deeply")
    if isinstance(node, ast.Expression):
        _check(node.body, depth + 1)
    elif isinstance(node, ast.Name):
        if node.id.startswith("_"):
            raise ConditionError(f"names starting with '_' are not allowed: {node.id!r}")
        if not isinstance(node.ctx, ast.Load):
            raise ConditionError("a condition cannot assign")
    elif isinstance(node, ast.Constant):
        if not isinstance(node.value, _CONSTANT_TYPES):
            raise ConditionError(f"constants of type {type(node.value).__name__} are not allowed")
    elif isinstance(node, ast.List | ast.Tuple):
        for item in node.elts:
            _check(item, depth + 1)
    elif isinstance(node, ast.Compare):
        for op in node.ops:
            if type(op) not in _COMPARISONS:
                raise ConditionError(f"the comparison {type(op).__name__} is not allowed ('is' is: use ==)")
        for part in (node.left, *node.comparators):
            _check(part, depth + 1)
    elif isinstance(node, ast.BoolOp):
        for value in node.values:
            _check(value, depth + 1)
    elif isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, ast.Not | ast.USub):
            raise ConditionError("only 'not' and '-' may stand before a value")
        _check(node.operand, depth + 1)
    elif isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            allowed = ", ".join(f"{name}()" for name in FUNCTIONS)
            raise ConditionError(f"only these functions may be called: {allowed}")
        if node.keywords:
            raise ConditionError(f"{node.func.id}() takes no keyword arguments")
        arity = FUNCTIONS[node.func.id][0]
        if len(node.args) != arity:
            raise ConditionError(f"{node.func.id}() takes {arity} argument{'s' if arity != 1 else ''}")
        for arg in node.args:
            _check(arg, depth + 1)
    else:
        raise ConditionError(f"{_describe(node)} is not allowed in a condition")


def _parse(expr: str) -> ast.Expression:
    if not isinstance(expr, str):  # checked before the cache, which needs hashable keys
        raise ConditionError("the condition must be text")
    return _parse_text(expr)


@functools.lru_cache(maxsize=1024)
def _parse_text(expr: str) -> ast.Expression:
    if not expr.strip():
        raise ConditionError("the condition is empty")
    if len(expr) > MAX_LENGTH:
        raise ConditionError(f"the condition is longer than {MAX_LENGTH} characters")
    try:
        tree = ast.parse(expr.strip(), mode="eval")
    except SyntaxError as exc:
        raise ConditionError(f"the condition is not valid: {exc.msg}") from None
    except (ValueError, RecursionError, MemoryError):
        raise ConditionError("the condition cannot be read") from None
    _check(tree)
    return tree


def check_expression(expr: str) -> None:
    """Raise ConditionError with a readable message if ``expr`` is not an allowed condition."""
    _parse(expr)


def names_in(expr: str) -> set[str]:
    """The answer keys a condition refers to (function names excluded). Raises ConditionError."""
    tree = _parse(expr)
    functions = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and id(node) not in functions}


def evaluate(expr: str, answers: Mapping[str, Any]) -> bool:
    """Whether the condition holds for these answers. Raises ConditionError if it is not allowed."""
    if not isinstance(expr, str):  # checked before the cache, which needs hashable keys
        raise ConditionError("the condition must be text")
    return bool(_compiled(expr)(answers))


Evaluator = Callable[[Mapping[str, Any]], Any]


@functools.lru_cache(maxsize=1024)
def _compiled(expr: str) -> Evaluator:
    """The checked condition as nested closures: every form page evaluates its steps' and fields'
    conditions, and walking the syntax tree for each answer set cost several times more."""
    return _compile(_parse(expr).body)


def _compile(node: ast.AST) -> Evaluator:
    # Only the node types _check let through can arrive here.
    if isinstance(node, ast.Constant):
        value = node.value
        return lambda answers: value
    if isinstance(node, ast.Name):
        key = node.id
        return lambda answers: answers.get(key)
    if isinstance(node, ast.List | ast.Tuple):
        items = [_compile(item) for item in node.elts]
        return lambda answers: [item(answers) for item in items]
    if isinstance(node, ast.BoolOp):
        values = [_compile(value) for value in node.values]
        if isinstance(node.op, ast.And):
            return lambda answers: all(value(answers) for value in values)
        return lambda answers: any(value(answers) for value in values)
    if isinstance(node, ast.UnaryOp):
        operand = _compile(node.operand)
        if isinstance(node.op, ast.Not):
            return lambda answers: not operand(answers)
        return lambda answers: _negative(operand(answers))
    if isinstance(node, ast.Compare):
        return _compile_comparison(node)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        _arity, function = FUNCTIONS[node.func.id]
        args = [_compile(arg) for arg in node.args]
        return lambda answers: function(*(arg(answers) for arg in args))
    raise ConditionError(f"{_describe(node)} is not allowed in a condition")  # pragma: no cover


def _negative(value: Any) -> Any:
    return -value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _compile_comparison(node: ast.Compare) -> Evaluator:
    left = _compile(node.left)
    pairs = [
        (_COMPARISONS[type(op)], _compile(comparator))
        for op, comparator in zip(node.ops, node.comparators, strict=True)
    ]

    def compare(answers: Mapping[str, Any]) -> bool:
        current = left(answers)
        for holds, comparator in pairs:
            right = comparator(answers)  # evaluated only while the chain holds, as Python does
            try:
                if not holds(current, right):
                    return False
            except TypeError:  # None >= 16, 'a' < 1, 'x' in None: false, not a crash
                return False
            current = right
        return True

    return compare


__all__ = ["FUNCTIONS", "ConditionError", "check_expression", "evaluate", "names_in"]
