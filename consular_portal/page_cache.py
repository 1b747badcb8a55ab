"""Markup that is the same for every request of one language and content version, rendered once per process.

A page reads its data in one query that also reads the data's *content version* (``with_content_version()``: a
string that changes whenever the row, a row it points to, or any row of a set under it is saved, added
or deleted), and asks for its unchanging parts with that version in the key:

    policy = with_content_version(ExpeditePolicy.objects, "post", "categories").get(...)
    body = cached_markup("expedite-policy", policy.post.slug, policy.content_version,
                         build=lambda: render_to_string("appointments/policy_body.html", {...}))

or, in a template, ``{% cached_part "expedite-policy" post.slug policy.content_version %}…{% endcached_part %}``
(``templatetags/portal.py``). The key also holds the active language and the release (``layout_version``).
What differs per request (the CSRF token, a submission key, what the applicant typed, the time) stays outside
the cached part. The cache is each process's own (``CACHES["layout"]``), so a hit costs no round trip; every
process reads the version from the database with the page's data, so an edit in the admin is seen by every
process on its next page, with no message between processes.
"""

import functools
import hashlib
import re

from django.core.cache import caches
from django.db import connection, connections, router
from django.db.models.expressions import RawSQL
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .context_processors import layout_version

CACHE = "layout"
TIMEOUT = 24 * 3600  # a stale entry is never read (the version is in the key): this only frees memory


def part_key(name, *vary):
    values = hashlib.md5("\x1f".join(str(v) for v in vary).encode(), usedforsecurity=False).hexdigest()
    return f"page:{name}:{get_language() or ''}:{layout_version()}:{values}"


# A form's {% csrf_token %} rendered in a cached part writes this (with ``csrf_token`` set to it in the
# context: ``part_context``); each request's page gets its own token in its place. Lower-case letters and
# dashes, so never escaped, and never a real token (64 letters and digits).
CSRF_PLACEHOLDER = "csrf-token-of-the-request"


def part_context(**context):
    """A template context for a cached part: a {% csrf_token %} inside writes the placeholder."""
    return {**context, "csrf_token": CSRF_PLACEHOLDER}


def request_token(request):
    """The request's CSRF token, masked once for all the cached parts of its page (``get_token`` masks it anew
    on every call); a token rotated during the request (a login) is masked again."""
    secret = request.META.get("CSRF_COOKIE")
    memo = getattr(request, "_portal_csrf_token", None)
    if memo is None or memo[0] != secret or secret is None:
        token = get_token(request)
        memo = request._portal_csrf_token = (request.META.get("CSRF_COOKIE"), token)
    return memo[1]


def cached_markup(name, *vary, build, request=None, fill=None, timeout=TIMEOUT):
    """The markup ``build()`` returns, from this process's cache when it holds it for this name, language,
    release and ``vary`` values (put the content version among them). With ``request``, the CSRF
    placeholder is replaced by the request's token. ``fill`` maps placeholders the part was rendered with
    (lower-case letters and dashes, as ``CSRF_PLACEHOLDER``) to this request's values: each is escaped
    (unless already safe markup) and written in one pass, so a value is never read again as a placeholder."""
    key = part_key(name, *vary)
    layout_cache = caches[CACHE]
    markup = layout_cache.get(key)
    if markup is None:
        markup = str(build())
        layout_cache.set(key, markup, timeout)
    if request is not None:
        markup = markup.replace(CSRF_PLACEHOLDER, request_token(request))
    if fill:
        values = {placeholder: str(conditional_escape(value)) for placeholder, value in fill.items()}
        markup = _placeholders(tuple(values)).sub(lambda match: values[match[0]], markup)
    return mark_safe(markup)  # noqa: S308 - markup rendered by a template or format_html, stored as it was


def blank_form_page(request, name, post, *, make_form, template):
    """The content of a post's form page before anything is typed (``template`` with ``post`` and
    ``blank_form``, the form ``make_form()`` returns as the USWDS pack writes it): the same for every visitor
    of the post and language, so rendered once per process, post name, language and release; the CSRF token is
    the request's own (the in-person and live-assistance request forms)."""

    def build():
        blank_form = render_to_string("uswds/crispy_form.html", part_context(form=make_form()), request)
        return render_to_string(template, part_context(post=post, blank_form=blank_form), request)

    return cached_markup(name, post.slug, post.name, build=build, request=request)


@functools.cache
def _placeholders(names):
    return re.compile("|".join(re.escape(name) for name in sorted(names, key=len, reverse=True)))


def table_version(model, field="updated_at"):
    """The content version of every row of a table (one query, its SQL written once per model): its latest
    ``updated_at`` and its count."""
    with connections[router.db_for_read(model)].cursor() as cursor:
        cursor.execute(_table_version_sql(model, field))
        latest, count = cursor.fetchone()
    return f"{latest}/{count}"


@functools.cache
def _table_version_sql(model, field):
    quote = connection.ops.quote_name
    column = quote(model._meta.get_field(field).column)
    return f"SELECT MAX({column}), COUNT(*) FROM {quote(model._meta.db_table)}"  # noqa: S608 - quoted names only


def with_content_version(queryset, *relations, field="updated_at"):
    """The queryset with ``content_version`` on each row: the row's ``updated_at``, that of each forward
    relation named (``"post"``), and the latest ``updated_at`` and the number of rows of each reverse
    relation (``"categories"``), as one string read in the same query. Saving, adding or deleting any of
    those rows changes it. (``QuerySet.update()`` does not set ``updated_at``: code that changes shown rows
    that way must set it.)"""
    sql = _version_sql(queryset.model, relations, field)  # only table and column names, quoted
    return queryset.annotate(content_version=RawSQL(sql, ()))  # noqa: S611 - no parameters: names quoted above


@functools.cache
def _version_sql(model, relations, field):
    """The SQL of ``content_version``, written once per model and relations (compiling the same thing as
    ORM expressions on every page would cost more than the query)."""
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    column = quote(model._meta.get_field(field).column)

    def text(sql):
        return f"COALESCE(CAST(({sql}) AS TEXT), '-')"

    parts = [text(f"{table}.{column}")]
    for relation in relations:
        model_field = model._meta.get_field(relation)
        other = model_field.related_model
        other_table, other_column = quote(other._meta.db_table), quote(other._meta.get_field(field).column)
        if model_field.one_to_many:
            fk = quote(model_field.field.column)
            rows = f"FROM {other_table} WHERE {other_table}.{fk} = {table}.{pk}"
            parts.append(text(f"SELECT COALESCE(CAST(MAX({other_table}.{other_column}) AS TEXT), '-') || '/' || "
                              f"CAST(COUNT(*) AS TEXT) {rows}"))
        else:
            other_pk, fk = quote(other._meta.pk.column), quote(model_field.column)
            parts.append(text(f"SELECT {other_table}.{other_column} FROM {other_table} "  # noqa: S608 - quoted names only
                              f"WHERE {other_table}.{other_pk} = {table}.{fk}"))
        parts.append("'|'")
    return " || ".join(parts)


def prepared(make_queryset, *, rows=False):
    """A page's one query with its SQL compiled once per process: ``make_queryset(*values)`` returns the
    queryset; the function returned runs that SQL with the values it is called with. Compiling the ORM's
    expressions of a small indexed query costs more than running it.

    By default the queryset is of one model (no ``select_related``; a related row's columns are annotations)
    and the rows come back as model instances, as ``Model.objects.raw`` makes them (fields converted,
    annotations as attributes, fields not selected deferred). With ``rows=True`` it is a ``values_list``
    queryset and the rows come back as its tuples, each value converted as the ORM converts it (a JSON field
    decoded): what a lookup reads when it must not build an instance (``passports/lookup.py``)."""

    @functools.cache
    def compiled(count):
        marks = tuple(f"\x1fprepared-value-{number}\x1f" for number in range(count))
        queryset = make_queryset(*marks)
        compiler = queryset.query.get_compiler(queryset.db)
        sql, params = compiler.as_sql()
        order = []
        for param in params:
            if isinstance(param, str) and param in marks:
                order.append(marks.index(param))
            elif isinstance(param, str) and "\x1fprepared-value-" in param:
                raise ValueError("a value the SQL transforms cannot be a parameter of a prepared query")
            else:
                order.append((param,))  # a constant of the queryset
        converters = None
        if rows:  # the SQL selects the values_list's columns in its order, as results_iter reads them
            converters = compiler.get_converters([column[0] for column in compiler.select[:compiler.col_count]])
        return queryset.model, queryset.db, sql, tuple(order), converters

    def run(*values):
        model, alias, sql, order, converters = compiled(len(values))
        params = [values[place] if isinstance(place, int) else place[0] for place in order]
        if not rows:
            return list(model.objects.raw(sql, params))  # noqa: S611 - SQL compiled by the ORM, values as parameters
        database = connections[alias]
        with database.cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        return [_converted(row, converters, database) for row in fetched]

    return run


def _converted(row, converters, database):
    if not converters:
        return row
    row = list(row)
    for index, (functions, expression) in converters.items():
        for function in functions:
            row[index] = function(row[index], expression, database)
    return tuple(row)


def content_version_of(model, *relations, field="updated_at"):
    """The ``content_version`` of ``with_content_version`` as an expression, for a queryset of another model
    that joins ``model``'s table under its own name (its first join): a post's page that reads its policy's
    version (``appointments.views.policy_page``)."""
    return RawSQL(_version_sql(model, relations, field), ())  # noqa: S611 - only table and column names, quoted
