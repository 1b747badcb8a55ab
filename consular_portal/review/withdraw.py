"""The applicant's "withdraw" page of any reviewed request (expedite, in-person, status inquiry), through its
signed link: a GET asks to confirm, the POST of its button withdraws. One that can no longer be withdrawn
(decided, answered or withdrawn, also between the two) sends the applicant back to its page."""

from django.shortcuts import redirect, render

from .models import InvalidTransition

WITHDRAWN = "withdrawn"


def withdraw_page(request, obj, *, page_path, withdraw, template, context=None, refused=""):
    """``withdraw(obj)`` makes the transition (and its emails); ``refused`` is the query string the page is
    sent back with when the request can no longer be withdrawn."""
    if WITHDRAWN not in obj.allowed_transitions():
        return redirect(page_path + refused)
    if request.method == "POST":
        try:
            withdraw(obj)
        except InvalidTransition:  # decided meanwhile: the page says how it stands
            return redirect(page_path + refused)
        return redirect(page_path + "?withdrawn=1")
    return render(request, template, {"post": obj.post, "page_path": page_path, **(context or {})})
