"""The figures of the officers' dashboard: how a post is doing this week and in the twelve weeks before it.

Each figure is a plain function of the posts it covers and the date it is seen on, and returns a ``Figure``:
a title, column headings and rows of plain values. The page draws its chart, prints its table and offers its
CSV from that one object, so the three never disagree.

The database does the counting: each figure is one or two ``GROUP BY`` queries over a range of the indexed
timestamp, grouped by the *local* date at the row's post (``local_date``), so the number of queries and of
rows read back depends on the weeks shown, never on the number of requests. Python only folds those days into
weeks. Weeks start on Monday and are counted in the time zone of each post.
"""

import datetime as dt
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import BooleanField, Case, Count, DateField, F, Sum, Value, When
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from . import business_calendar
from .models import SurveyResponse

WEEKS = 13  # this week and the twelve before it
SLOT_DAYS = 14
LATEST_COMMENTS = 5


@dataclass(frozen=True)
class Figure:
    """One table of the dashboard. ``chart`` lists the columns drawn as bars (the first column labels them)."""

    key: str
    title: str
    columns: list
    rows: list
    chart: tuple = ()
    note: str = ""
    chart_labels: list = field(default_factory=list)  # shorter labels under the bars; the rows' labels if empty

    def bar_labels(self):
        return self.chart_labels or [str(row[0]) for row in self.rows]


# Dates ------------------------------------------------------------------------------------------------------


def week_starts(today):
    """The Mondays of this week and the ``WEEKS - 1`` weeks before it, oldest first."""
    this_week = today - dt.timedelta(days=today.weekday())
    return [this_week - dt.timedelta(weeks=n) for n in reversed(range(WEEKS))]


def week_of(day):
    return day - dt.timedelta(days=day.weekday())


def _zones(posts):
    """{time zone name: [post ids]} of ``posts``."""
    zones = defaultdict(list)
    for post in posts:
        zones[post.time_zone].append(post.pk)
    return zones


def local_date(field_name, posts, post_field="post_id"):
    """The date of the timestamp ``field_name`` at the row's own post, as a database expression."""
    zones = _zones(posts)
    if len(zones) == 1:
        return TruncDate(field_name, tzinfo=zoneinfo.ZoneInfo(next(iter(zones))))
    return Case(*[When(**{f"{post_field}__in": ids}, then=TruncDate(field_name, tzinfo=zoneinfo.ZoneInfo(zone)))
                  for zone, ids in zones.items()], output_field=DateField())


def instant_range(posts, first_day, last_day):
    """Aware instants from the start of ``first_day`` to the end of ``last_day`` at every one of ``posts``: the
    plain range filter on the indexed column; the local date then says which day a row belongs to."""
    zones = [zoneinfo.ZoneInfo(zone) for zone in _zones(posts)] or [dt.UTC]
    start = min(dt.datetime.combine(first_day, dt.time.min, tzinfo=zone) for zone in zones)
    end = max(dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time.min, tzinfo=zone) for zone in zones)
    return start, end


def _window(posts, today):
    """(first Monday shown, start instant, end instant) of the weeks shown up to ``today``."""
    first = week_starts(today)[0]
    return (first, *instant_range(posts, first, today))


def _by_week(rows, today, value="n"):
    """{Monday: total of ``value``} over rows holding a local date ``day``, for the weeks shown only."""
    weeks = dict.fromkeys(week_starts(today), 0)
    for row in rows:
        monday = week_of(row["day"])
        if monday in weeks and row["day"] <= today:
            weeks[monday] += row[value] or 0
    return weeks


def _number(value):
    """A figure as the table and the CSV show it: whole numbers without a decimal point, others with one."""
    if value is None:
        return None
    if float(value).is_integer():
        return int(value)
    return round(float(value), 1)


def _share(part, whole):
    return round(100 * part / whole) if whole else None


def weighted_median(counts):
    """The median of values given as {value: how many times}; None when there are none."""
    total = sum(counts.values())
    if not total:
        return None
    ordered = sorted(counts.items())

    def nth(n):  # the n-th value (0-based) of the sorted list
        seen = 0
        for value, count in ordered:
            seen += count
            if n < seen:
                return value
        raise IndexError(n)

    middle = total // 2
    return nth(middle) if total % 2 else (nth(middle - 1) + nth(middle)) / 2


# Expedite requests -------------------------------------------------------------------------------------------


def _requests():
    from appointments.models import ExpediteRequest

    return ExpediteRequest


def _decided(queryset):
    """Requests an officer decided: closed with a decision time, not withdrawn by the applicant while open (a
    withdrawal has no officer; an approved request withdrawn later keeps the officer who approved it)."""
    status = _requests().Status
    return queryset.filter(decided_at__isnull=False).exclude(status=status.WITHDRAWN, decided_by__isnull=True)


def _business_days(rows, posts_by_id):
    """{value: count} of business days from receipt to decision, from rows grouped by post and local dates."""
    days = defaultdict(int)
    for row in rows:
        days[business_calendar.business_days_between(posts_by_id[row["post_id"]], row["received"],
                                                     row["day"])] += row["n"]
    return days


def expedite_weekly(posts, today):
    """Per week: requests received, requests decided, the median business days from receipt to decision and the
    share of decisions made by the date promised to the applicant (of the decisions made that week)."""
    requests = _requests().objects.filter(post__in=posts).order_by()
    first, start, end = _window(posts, today)
    received = requests.filter(created_at__gte=start, created_at__lt=end).annotate(
        day=local_date("created_at", posts)).values("day").annotate(n=Count("pk"))
    decisions = _decided(requests).filter(decided_at__gte=start, decided_at__lt=end).annotate(
        received=local_date("created_at", posts), day=local_date("decided_at", posts),
    ).annotate(on_time=Case(When(day__lte=F("promised_by"), then=Value(True)), default=Value(False),
                            output_field=BooleanField())
               ).values("post_id", "received", "day", "on_time").annotate(n=Count("pk"))
    posts_by_id = {post.pk: post for post in posts}
    received_weeks = _by_week(received, today)
    per_week = defaultdict(list)
    for row in decisions:
        if first <= row["day"] <= today:
            per_week[week_of(row["day"])].append(row)
    rows = []
    for monday in week_starts(today):
        decided_rows = per_week[monday]
        decided = sum(row["n"] for row in decided_rows)
        on_time = sum(row["n"] for row in decided_rows if row["on_time"])
        median = weighted_median(_business_days(decided_rows, posts_by_id))
        rows.append([monday.isoformat(), received_weeks[monday], decided, _number(median), _share(on_time, decided)])
    return Figure(
        key="requests", title=_("Expedite requests per week"),
        columns=[_("Week starting"), _("Received"), _("Decided"),
                 _("Median business days to a decision"), _("Decided by the promised date (%)")],
        rows=rows, chart=(1, 2), chart_labels=[f"{monday:%m-%d}" for monday in week_starts(today)],
        note=_("Decisions are counted in the week they were made; withdrawals by the applicant are not decisions."),
    )


def _categories(posts):
    """[(code, name)] of the categories of ``posts``' policies, in the order officers gave them, each code once."""
    from appointments.models import ExpediteCategory

    names = {}
    for category in ExpediteCategory.objects.filter(policy__post__in=posts).order_by("order", "pk"):
        names.setdefault(category.code, category.localized_name)
    return list(names.items())


def expedite_by_category(posts, today):
    """Per category: requests received and decided this week and over the weeks shown, and open now past the date
    promised (categories of the same code at several posts are added up)."""
    requests = _requests().objects.filter(post__in=posts).order_by()
    first, start, end = _window(posts, today)
    this_week = week_of(today)
    received = requests.filter(created_at__gte=start, created_at__lt=end).annotate(
        day=local_date("created_at", posts)).values("category__code", "day").annotate(n=Count("pk"))
    decided = _decided(requests).filter(decided_at__gte=start, decided_at__lt=end).annotate(
        day=local_date("decided_at", posts)).values("category__code", "day").annotate(n=Count("pk"))
    overdue = dict(requests.filter(status__in=_requests().open_statuses(), promised_by__lt=today).values_list(
        "category__code").annotate(n=Count("pk")))
    totals = defaultdict(lambda: [0, 0, 0, 0])
    for column, rows in ((0, received), (2, decided)):
        for row in rows:
            if first <= row["day"] <= today:
                totals[row["category__code"]][column + 1] += row["n"]
                if row["day"] >= this_week:
                    totals[row["category__code"]][column] += row["n"]
    categories = _categories(posts)
    known = {code for code, _name in categories}
    categories += [(code, code) for code in sorted(set(totals) | set(overdue)) if code not in known]
    rows = [[name, *totals[code], overdue.get(code, 0)] for code, name in categories]
    return Figure(
        key="categories", title=_("Expedite requests by category"),
        columns=[_("Category"), _("Received this week"), _("Received in 13 weeks"), _("Decided this week"),
                 _("Decided in 13 weeks"), _("Overdue now")],
        rows=rows, chart=(2, 4),
    )


def overdue_now(posts, today, *, inquiries=True):
    """Open requests (and status inquiries) past the date promised to the applicant, on ``today``."""
    from inquiries.models import Inquiry

    ExpediteRequest = _requests()
    rows = [[_("Expedite requests"), ExpediteRequest.objects.filter(
        post__in=posts, status__in=ExpediteRequest.open_statuses(), promised_by__lt=today).count()]]
    if inquiries:
        rows.append([_("Status inquiries"), Inquiry.objects.filter(
            post__in=posts, status__in=Inquiry.open_statuses(), promised_by__lt=today).count()])
    return Figure(key="overdue", title=_("Overdue now"), columns=[_("Service"), _("Open past the promised date")],
                  rows=rows, chart=(1,))


# Slots, inquiries, passports, survey ---------------------------------------------------------------------------


def slots_ahead(posts, today):
    """Per day from ``today``: places booked and places still free in the posts' interview slots."""
    from appointments.models import AppointmentSlot

    days = [today + dt.timedelta(days=n) for n in range(SLOT_DAYS)]
    start, end = instant_range(posts, days[0], days[-1])
    counted = {row["day"]: row for row in AppointmentSlot.objects.filter(
        post__in=posts, starts_at__gte=start, starts_at__lt=end).order_by().annotate(
        day=local_date("starts_at", posts)).values("day").annotate(used=Sum("booked"), capacity=Sum("capacity"))}
    rows = []
    for day in days:
        row = counted.get(day, {"used": 0, "capacity": 0})
        rows.append([day.isoformat(), row["used"], max(row["capacity"] - row["used"], 0)])
    return Figure(key="slots", title=_("Interview slots in the next 14 days"),
                  columns=[_("Date"), _("Places booked"), _("Places free")], rows=rows, chart=(1, 2),
                  chart_labels=[f"{day:%m-%d}" for day in days])


def inquiries_weekly(posts, today):
    """Per week: status inquiries received (those sent before the waiting time are not counted: they reach no
    officer) and answered."""
    from inquiries.models import Inquiry

    inquiries = Inquiry.objects.filter(post__in=posts).order_by()
    _first, start, end = _window(posts, today)
    received = _by_week(inquiries.filter(created_at__gte=start, created_at__lt=end).exclude(
        status=Inquiry.Status.INELIGIBLE).annotate(day=local_date("created_at", posts)).values("day").annotate(
        n=Count("pk")), today)
    answered = _by_week(inquiries.filter(status=Inquiry.Status.ANSWERED, decided_at__gte=start, decided_at__lt=end)
                        .annotate(day=local_date("decided_at", posts)).values("day").annotate(n=Count("pk")), today)
    rows = [[monday.isoformat(), received[monday], answered[monday]] for monday in week_starts(today)]
    return Figure(key="inquiries", title=_("Status inquiries per week"),
                  columns=[_("Week starting"), _("Received"), _("Answered")], rows=rows, chart=(1, 2),
                  chart_labels=[f"{monday:%m-%d}" for monday in week_starts(today)])


def passports_by_status(posts, today=None):
    """Tracked passports of the posts by their current status."""
    from passports.models import PassportTracking

    counts = dict(PassportTracking.objects.filter(post__in=posts).order_by().values_list("status").annotate(
        n=Count("pk")))
    rows = [[label, counts.get(value, 0)] for value, label in PassportTracking.Status.choices]
    return Figure(key="passports", title=_("Passports by status"), columns=[_("Status"), _("Passports")],
                  rows=rows, chart=(1,))


def survey_weekly(posts, today):
    """Per week: survey answers that name one of the posts, and their average rating (5 is very satisfied)."""
    _first, start, end = _window(posts, today)
    rows = SurveyResponse.objects.filter(post__in=posts, created_at__gte=start, created_at__lt=end).order_by(
    ).annotate(day=local_date("created_at", posts)).values("day").annotate(n=Count("pk"), total=Sum("rating"))
    rows = list(rows)
    answers, totals = _by_week(rows, today), _by_week(rows, today, value="total")
    table = [[monday.isoformat(), answers[monday],
              _number(round(totals[monday] / answers[monday], 1)) if answers[monday] else None]
             for monday in week_starts(today)]
    return Figure(key="survey", title=_("Survey ratings per week"),
                  columns=[_("Week starting"), _("Answers"), _("Average rating (1 to 5)")], rows=table, chart=(2,),
                  chart_labels=[f"{monday:%m-%d}" for monday in week_starts(today)],
                  note=_("Answers that name no post are not counted here."))


def latest_comments(posts, limit=LATEST_COMMENTS):
    """The latest survey answers with a comment, of the posts."""
    return list(SurveyResponse.objects.filter(post__in=posts).exclude(comments="").select_related("post")
                .order_by("-created_at")[:limit])
