"""A public submission that an officer of its post reviews: the shape every reviewed service shares.

A reviewed service (expedite requests today; status inquiries, in-person appointment requests and live
assistance next) is a concrete model on ``models.ReviewedSubmission`` that declares its ``Status`` and
``TRANSITIONS`` and says which emails a change queues (``emails_for``), an event model on
``models.ReviewEvent``, and an admin on ``admin.ReviewAdmin`` that names its decisions. Every change goes
through ``transitions.transition``; ``reminders`` sends each post's officers the daily list of overdue ones.
See "Adding a reviewed service" in docs/architecture.md.
"""
