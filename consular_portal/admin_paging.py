"""How the admin's lists count their rows: exactly up to a bound, estimated beyond it.

A list of a million rows must not cost a full ``COUNT(*)`` on every page. ``EstimatedCountPaginator`` counts
at most ``COUNT_CAP + 1`` rows (a bounded scan of the list's own index); when there are more, the count is
PostgreSQL's estimate of the list's rows (the planner's, from ``EXPLAIN``), and the list says it is one.
Every admin of a post's data uses it through ``scoping.PostScopedAdmin``.
"""

import json

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

COUNT_CAP = 10_000


def estimated_rows(queryset):
    """The planner's estimate of the rows of ``queryset`` (0 on a database without one)."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return 0
    sql, params = queryset.order_by().query.get_compiler(using=queryset.db).as_sql()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


class EstimatedCountPaginator(Paginator):
    estimated = False

    @cached_property
    def count(self):
        counted = self.object_list.order_by()[: COUNT_CAP + 1].count()
        if counted <= COUNT_CAP:
            return counted
        self.estimated = True
        return max(COUNT_CAP + 1, estimated_rows(self.object_list))
