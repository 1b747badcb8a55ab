"""The one way the portal takes in a public form (survey, fraud report, expedite request, and any form to come).

1. A client that has sent too many invalid forms gets the page back with the rate-limit message (429) and the
   form is not even validated (``INVALID_SUBMISSION_RATE_LIMIT``).
2. The form (and its formsets) is validated; an invalid one counts against that limit and comes back with its
   errors.
3. A valid one counts against the client's limit of submissions (``SUBMISSION_RATE_LIMIT``): over it, the
   page comes back with the values typed and the message (429).
4. Otherwise ``on_valid()`` takes the submission and returns the response (a redirect). It may return None
   after adding an error to the form (a duplicate found while saving): the page is shown again.
"""

from django.forms import BaseFormSet
from django.forms.utils import ErrorDict

from .ratelimits import (
    RATE_LIMITED,
    count_invalid_submission,
    invalid_submissions_exhausted,
    submission_allowed,
)


def accept(request, form, *, group, on_valid, page, formsets=()):
    """Take in ``form`` (with ``formsets``, shown on the same page) as above. ``page(status=None)`` renders
    the page with the form again; without a status it chooses its own (200, or 400 for errors)."""
    if invalid_submissions_exhausted(request):
        for unchecked in (form, *formsets):
            _without_validation(unchecked)
        return _refused(form, page)
    valid = [checked.is_valid() for checked in (form, *formsets)]  # every one, so every error is shown
    if not all(valid):
        count_invalid_submission(request)
        return page()
    if not submission_allowed(request, group=group):
        return _refused(form, page)
    return on_valid() or page()


def _refused(form, page):
    form.add_error(None, RATE_LIMITED)
    return page(status=429)


def _without_validation(form):
    """Mark a bound form (or formset) as checked with no errors, so showing it again validates nothing."""
    if isinstance(form, BaseFormSet):
        form._errors, form._non_form_errors = [], form.error_class(error_class="nonform", renderer=form.renderer)
        for member in form.forms:
            _without_validation(member)
    else:
        form.cleaned_data, form._errors = {}, ErrorDict(renderer=form.renderer)
