"""Small, hot queries compiled to SQL once per process.

Building a queryset and compiling it costs the ORM 0.3–2 ms (cloning, resolving lookups and
subqueries, writing the SQL): several times what the database takes to answer a small indexed query.
A logged-in shopper's every page view runs a few such queries (the cart badge; on the book page, what
they may do about the book), and every book page rendered afresh reads the book and its related books,
so `CompiledQuery` builds each once per database, with stand-in values for its arguments, keeps the SQL
the ORM wrote and runs it again with the real values.

Only for queries whose SQL never depends on the values: arguments used in plain comparisons (no `None`,
no branches on them in the builder); whole numbers, or text for an argument the builder annotates as
`str`. An argument the builder annotates as `list` is a list of whole numbers for one `__in` lookup: its
SQL depends on the list's length only, so the query is compiled once per length (a list may not be
empty: the ORM writes no SQL for `__in` nothing). `rows()` gives the rows as the database driver gives
them (an `Exists()` may be 0 or 1, a `Sum()` a Decimal); `instances()` the model instances the queryset
would give, with the related objects of its `select_related`. Both take `limits=(low, high)` for the rows
a slice `[low:high]` of the queryset would give (a page of a list), put after the compiled SQL as the
ORM itself writes them, so one compiled query serves every page.
"""

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import get_origin

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, get_related_populators

# Values no id, quantity or text in the shop takes: they stand in for the arguments while compiling.
STAND_IN_BASE = -987_654_321
STAND_IN_TEXT = "\x00compiled-query-argument-{}"
STAND_IN_LIST_STEP = 1_000  # the k-th item of a list argument stands in as its own number less this × (k + 1)


@dataclass(frozen=True)
class _Argument:
    name: str
    item: int | None = None  # of a list argument: which of its items


@dataclass(frozen=True)
class _Instances:
    """How a row becomes a model instance, as the ORM's ModelIterable does it, worked out once."""

    model: type[Model]
    columns: slice  # the model's own columns in the row
    attnames: list[str]
    populators: list  # the related objects of select_related
    converters: dict  # per column, the field's converters (times, decimals)
    compiler: object  # the stand-ins' compiler, which applies the converters

    def build(self, using: str, rows: list[tuple]) -> list[Model]:
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        instances = []
        for row in rows:
            instance = self.model.from_db(using, self.attnames, row[self.columns])
            for populator in self.populators:
                populator.populate(row, instance)
            instances.append(instance)
        return instances


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: list
    instances: _Instances | None  # None: the queryset gives values, or annotates its instances
    sliceable: bool  # LIMIT/OFFSET may be put after the SQL (not sliced already, no FOR UPDATE)


class CompiledQuery:
    """`CompiledQuery(lambda user_id, book_id: <queryset>)`; then `.rows(user_id=…, book_id=…)`."""

    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        parameters = inspect.signature(build).parameters.values()
        self.arguments = tuple(parameter.name for parameter in parameters)
        self.text_arguments = {parameter.name for parameter in parameters if parameter.annotation is str}
        self.list_arguments = tuple(
            parameter.name
            for parameter in parameters
            if parameter.annotation is list or get_origin(parameter.annotation) is list
        )
        self.compiled: dict[tuple, _Compiled] = {}  # by database, and the lengths of the list arguments

    def rows(
        self, *, using: str = DEFAULT_DB_ALIAS, limits: tuple[int, int] | None = None, **values
    ) -> list[tuple]:
        return self._fetch(self._compiled(using, values), using, values, limits)

    def first(self, *, using: str = DEFAULT_DB_ALIAS, **values) -> tuple | None:
        rows = self.rows(using=using, **values)
        return rows[0] if rows else None

    def instances(
        self, *, using: str = DEFAULT_DB_ALIAS, limits: tuple[int, int] | None = None, **values
    ) -> list[Model]:
        """The model instances the queryset gives, without building and compiling it again."""
        compiled = self._compiled(using, values)
        if compiled.instances is None:
            raise TypeError("instances() needs a queryset of model instances without annotations")
        return compiled.instances.build(using, self._fetch(compiled, using, values, limits))

    def _compiled(self, using: str, values: dict) -> _Compiled:
        if values.keys() != set(self.arguments):
            raise TypeError(f"expected the arguments {self.arguments}, got {tuple(values)}")
        lengths = tuple(len(values[name]) for name in self.list_arguments)
        if 0 in lengths:
            raise ValueError(f"the list arguments {self.list_arguments} may not be empty")
        return self.compiled.get((using, *lengths)) or self._compile(using, lengths)

    def _fetch(
        self, compiled: _Compiled, using: str, values: dict, limits: tuple[int, int] | None
    ) -> list[tuple]:
        sql = compiled.sql
        if limits is not None:
            limit_offset = self._limit_offset_sql(compiled, using, limits)
            if limits[0] == limits[1]:  # an empty slice, as [5:5]: no rows and no query, as a queryset's
                return []
            sql = f"{sql} {limit_offset}"
        params = [
            param
            if not isinstance(param, _Argument)
            else values[param.name]
            if param.item is None
            else values[param.name][param.item]
            for param in compiled.params
        ]
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall())

    @staticmethod
    def _limit_offset_sql(compiled: _Compiled, using: str, limits: tuple[int, int]) -> str:
        """The database's own LIMIT/OFFSET clause, as the ORM writes it at the end of a sliced query."""
        low, high = limits
        if not compiled.sliceable:
            raise ValueError("limits need a queryset that is not sliced and does not lock its rows")
        if type(low) is not int or type(high) is not int or not 0 <= low <= high:  # written into the SQL
            raise ValueError(f"limits must be whole numbers 0 <= low <= high, not {limits!r}")
        return connections[using].ops.limit_offset_sql(low, high)

    def _compile(self, using: str, lengths: tuple[int, ...]) -> _Compiled:
        length_of = dict(zip(self.list_arguments, lengths, strict=True))
        stand_ins: dict[int | str, _Argument] = {}  # stand-in value → the argument (or list item) it is
        builder_values = []
        for number, name in enumerate(self.arguments):
            if name in length_of:
                items = [
                    STAND_IN_BASE - number - STAND_IN_LIST_STEP * (item + 1)
                    for item in range(length_of[name])
                ]
                stand_ins.update({value: _Argument(name, item) for item, value in enumerate(items)})
                builder_values.append(items)
            else:
                value = (
                    STAND_IN_TEXT.format(number) if name in self.text_arguments else STAND_IN_BASE - number
                )
                stand_ins[value] = _Argument(name)
                builder_values.append(value)
        queryset = self.build(*builder_values)
        compiler = queryset.query.get_compiler(using)
        sql, params = compiler.as_sql()  # also works out the select list and what each column fills
        params = [
            stand_ins[param] if type(param) in (int, str) and param in stand_ins else param
            for param in params
        ]
        unused = set(stand_ins.values()) - {param for param in params if isinstance(param, _Argument)}
        if unused:  # folded into the SQL, or turned into something else: the SQL would be wrong
            names = sorted({argument.name for argument in unused})
            raise ValueError(f"the compiled query does not take {names} as parameters")
        query = queryset.query
        compiled = _Compiled(
            sql=sql,
            params=params,
            instances=_instances(queryset, compiler, using),
            sliceable=not query.is_sliced and not query.select_for_update,
        )
        self.compiled[(using, *lengths)] = compiled
        return compiled


def _instances(queryset: QuerySet, compiler, using: str) -> _Instances | None:
    query = queryset.query
    if queryset._iterable_class is not ModelIterable or compiler.annotation_col_map or query.extra_select:
        return None
    select, klass_info = compiler.select, compiler.klass_info
    first, last = klass_info["select_fields"][0], klass_info["select_fields"][-1]
    return _Instances(
        model=klass_info["model"],
        columns=slice(first, last + 1),
        attnames=[column[0].target.attname for column in select[first : last + 1]],
        populators=get_related_populators(klass_info, select, using),
        converters=compiler.get_converters([column[0] for column in select[: compiler.col_count]]),
        compiler=compiler,
    )
