"""A status lookup's one query, compiled to SQL once per process.

A lookup page runs the same query for every number: only the number differs. Building and compiling the
queryset again on each request costs more than the query itself, so ``PreparedLookup`` compiles it once, with a
stand-in number, and afterwards runs that SQL with the number in the stand-in's place. The query is still
written with the ORM (``build(number)``: a ``values_list`` queryset), so it follows the models; the values are
converted as the ORM converts them (a JSON field is decoded).
"""

from django.db import connections, router

# Never a real number (the lookups normalise to upper-case letters and digits): the parameter to replace.
STAND_IN = "\x00number-of-the-lookup\x00"


class PreparedLookup:
    def __init__(self, model, build):
        self.model = model
        self.build = build  # number -> a values_list queryset of ``model``, ordered
        self._compiled = {}  # per database alias: (sql, params, position of the number, converters, order)

    def _compile(self, queryset):
        query = queryset.query
        compiler = query.get_compiler(queryset.db)
        sql, params = compiler.as_sql()
        params = list(params)
        if params.count(STAND_IN) != 1:
            raise ValueError("the lookup's query must use its number once, as a parameter")
        columns = compiler.select[:compiler.col_count]
        converters = compiler.get_converters([column[0] for column in columns])
        # values_list(...) names its fields in its order; the SQL selects extra, then fields, then annotations.
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
        wanted = list(queryset._fields or names)
        order = None if wanted == names else tuple(names.index(name) for name in wanted)
        return sql, params, params.index(STAND_IN), converters, order

    def first(self, number):
        """The first row of ``build(number)`` (a tuple of the values asked for), or None: one query."""
        alias = router.db_for_read(self.model)
        compiled = self._compiled.get(alias)
        if compiled is None:
            compiled = self._compiled[alias] = self._compile(self.build(STAND_IN).using(alias)[:1])
        sql, params, position, converters, order = compiled
        params = [*params[:position], number, *params[position + 1:]]
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        if converters:
            row = list(row)
            for index, (functions, expression) in converters.items():
                for function in functions:
                    row[index] = function(row[index], expression, connection)
        return tuple(row) if order is None else tuple(row[index] for index in order)
