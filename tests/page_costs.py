"""What one request costs, counted (not timed): its status, SQL queries and template renders."""

from django.db import connection
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext


def cost(request):
    """(status, SQL queries, template renders) of ``request()``."""
    rendered = []

    def count(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(count)
    try:
        with CaptureQueriesContext(connection) as queries:
            response = request()
    finally:
        template_rendered.disconnect(count)
    return response.status_code, len(queries), len(rendered)
