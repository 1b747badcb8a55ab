from django.db import connection


def test_suite_runs_on_postgresql_through_psycopg2(db):
    import psycopg2

    assert connection.vendor == "postgresql"
    assert connection.Database is psycopg2
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        assert cursor.fetchone()[0].startswith("PostgreSQL")


def test_psycopg3_is_not_installed_so_django_cannot_prefer_it():
    import importlib.util

    assert importlib.util.find_spec("psycopg") is None
