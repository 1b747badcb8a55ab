"""When an officer will contact the applicant of a live-assistance request: one pure function.

The post's officers answer the open requests oldest first, ``per_day`` of them on each business day of the
post (``consular_portal.business_calendar``: weekends, US and host-country holidays). Counting starts on the
*first working day*: today when the post is open now, else the day of its next opening (a post that has
published no contact hours: today if it is a business day, else the next one). A request with ``ahead`` open
requests before it is answered on the ``ahead // per_day``-th business day after the first working day
(0: the first working day itself). Requests answered earlier today are no longer in the queue, so the count
of today is never reduced for them: the estimate errs late, never early.
"""

from consular_portal import business_calendar


def first_working_day(post, at):
    """The post's date from which its officers work through the queue, seen at the aware instant ``at``."""
    today = post.local_today(at)
    if post.contact_hours:
        if business_calendar.is_open(post, at):
            return today
        opening = business_calendar.next_opening(post, at)
        if opening is not None:
            return opening.date()
    return business_calendar.add_business_days(post, today, 0)


def contact_estimate(*, post, at, ahead, per_day):
    """The post's date by which the request is answered, ``ahead`` open requests being before it and the
    officers answering ``per_day`` a business day (see the module's docstring)."""
    if per_day < 1:
        raise ValueError("per_day must be at least 1")
    if ahead < 0:
        raise ValueError("ahead cannot be negative")
    return business_calendar.add_business_days(post, first_working_day(post, at), ahead // per_day)

