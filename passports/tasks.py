"""Passport tracking's worker tasks: the import task is the tracking shape's, registered here."""

from consular_portal.tracking.tasks import process_import

__all__ = ["process_import"]
