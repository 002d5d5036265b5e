"""Validation rules between a data set's fields, kept as text and read by a tiny parser (no eval).

A rule compares two sums of products of field codes and whole numbers::

    online_points <= conferences * sites
    attendances >= 10 * conferences + participants
    (men + women) == total

Operators: ``<= < >= > == !=`` between the sides; ``+ - *`` and parentheses within a side.
A rule whose fields are not all filled is not checked (a missing figure is not zero).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

_TOKEN = re.compile(r"\s*(?:(\d+)|([a-z][a-z0-9_]*)|(<=|>=|==|!=|<|>|\+|-|\*|\(|\)))")
COMPARISONS: dict[str, Callable[[Decimal, Decimal], bool]] = {
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}
MAX_TOKENS = 60
MAX_DEPTH = 8


class RuleSyntaxError(ValueError):
    pass


# An expression is a tree of tuples: ("num", Decimal) | ("field", code) | (op, left, right).
Node = tuple


@dataclass(frozen=True)
class Rule:
    left: Node
    op: str
    right: Node

    def fields(self) -> set[str]:
        return _fields(self.left) | _fields(self.right)

    def holds(self, values: Mapping[str, int | Decimal | None]) -> bool | None:
        """True or False; None when a field it names has no value."""
        left, right = _value(self.left, values), _value(self.right, values)
        if left is None or right is None:
            return None
        return COMPARISONS[self.op](left, right)


def _fields(node: Node) -> set[str]:
    if node[0] == "field":
        return {node[1]}
    if node[0] == "num":
        return set()
    return _fields(node[1]) | _fields(node[2])


def _value(node: Node, values: Mapping[str, int | Decimal | None]) -> Decimal | None:
    if node[0] == "num":
        return node[1]
    if node[0] == "field":
        found = values.get(node[1])
        return None if found is None else Decimal(found)
    left, right = _value(node[1], values), _value(node[2], values)
    if left is None or right is None:
        return None
    if node[0] == "+":
        return left + right
    if node[0] == "-":
        return left - right
    return left * right


def _tokens(text: str) -> list[str]:
    tokens: list[str] = []
    position = 0
    text = text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise RuleSyntaxError(_("Unexpected character at position %(pos)s.") % {"pos": position + 1})
        tokens.append(match.group(match.lastindex or 0))
        position = match.end()
        if len(tokens) > MAX_TOKENS:
            raise RuleSyntaxError(_("The rule is too long."))
    return tokens


class _Parser:
    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.at = 0

    def peek(self) -> str | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> str:
        token = self.peek()
        if token is None:
            raise RuleSyntaxError(_("The rule ends too early."))
        self.at += 1
        return token

    def sum(self, depth: int) -> Node:
        node = self.product(depth)
        while self.peek() in {"+", "-"}:
            op = self.take()
            node = (op, node, self.product(depth))
        return node

    def product(self, depth: int) -> Node:
        node = self.atom(depth)
        while self.peek() == "*":
            self.take()
            node = ("*", node, self.atom(depth))
        return node

    def atom(self, depth: int) -> Node:
        part = self.take()
        if part == "(":
            if depth >= MAX_DEPTH:
                raise RuleSyntaxError(_("Too many parentheses."))
            node = self.sum(depth + 1)
            if self.take() != ")":
                raise RuleSyntaxError(_("A parenthesis is not closed."))
            return node
        if part.isdigit():
            return ("num", Decimal(part))
        if part[0].isalpha():
            return ("field", part)
        raise RuleSyntaxError(_("Unexpected %(token)s.") % {"token": part})


def parse_rule(text: str) -> Rule:
    """The rule written in ``text``; RuleSyntaxError says what is wrong."""
    tokens = _tokens(text.lower())
    parser = _Parser(tokens)
    left = parser.sum(0)
    op = parser.peek()
    if op not in COMPARISONS:
        raise RuleSyntaxError(_("A rule compares two sides with <=, <, >=, >, == or !=."))
    parser.take()
    right = parser.sum(0)
    if parser.peek() is not None:
        raise RuleSyntaxError(_("Unexpected %(token)s.") % {"token": parser.peek()})
    return Rule(left, op, right)
