"""A tracked item: something with a number, at one post, whose status staff update and the public looks up.

Passport tracking is the first user; case status by receipt number has the same shape. A tracked service
declares a concrete model on ``models.TrackedItem`` (its ``Status`` choices and its key), an event model on
``models.TrackingEventBase`` with a foreign key ``item`` (``related_name="events"``), and, for CSV updates,
an import job on ``models.ImportJobBase``. Every status change goes through ``changes.tracking_change``;
imports run on a worker through ``imports.run_import``.
"""
