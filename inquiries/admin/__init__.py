"""The back office of status inquiries: the officers' queue and answers, the standard replies, the policy."""

from . import inquiry, inquiry_policy  # noqa: F401 - registers the model admins
