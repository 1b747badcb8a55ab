"""The back office of the expedite service: the officers' queue and decisions, the policy, the slots."""

from . import in_person, policy, requests, slots  # noqa: F401 - registers the model admins
