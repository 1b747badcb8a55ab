"""How the back office shows a request's values to an officer: every instant in the post's own time zone,
labelled with it, and every code by its name (a language, a region, a purpose of travel)."""

from django.conf import settings
from django.utils.translation import gettext as _

from consular_portal.regions import region_name


def post_time(post, at):
    """``at`` as the post's staff read it, e.g. "2027-01-05 09:30 (Asia/Shanghai)"; None for no instant.

    Django renders times in the site's zone (UTC), which puts a 09:30 Shanghai interview at 01:30: the admin
    shows every instant of a post's work through this function instead."""
    if at is None:
        return None
    return f"{at.astimezone(post.tz):%Y-%m-%d %H:%M} ({post.time_zone})"


def post_date(post, at):
    """The date at the post on the instant ``at`` (a request sent at 23:00 UTC reached Shanghai the next day)."""
    return None if at is None else post.local_today(at)


def language_name(code):
    names = dict(settings.LANGUAGES)
    return str(names.get(code, code))


def region_label(code):
    return region_name(code) if code else None


def purposes_label(request):
    """The purposes of travel the applicant ticked, by the names the post's policy gives them."""
    if not request.excluded_purposes:
        return None
    names = {e.code: e.localized("name") for e in request.category.policy.exclusions.all()}
    return _(", ").join(names.get(code, code) for code in request.excluded_purposes)
