"""The anonymous "How are we doing?" survey: storing an answer and counting the results."""

from django.db.models import Count

from .models import SurveyResponse
from .text import normalise_newlines


def survey_submit(*, rating, comments="", service="", post=None, language):
    """Store one answer. Only what the applicant chose to tell us: nothing about who or where they are."""
    return SurveyResponse.objects.create(
        rating=rating,
        comments=normalise_newlines(comments).strip(),
        service=service or "",
        post=post,
        language=language,
    )


def rating_counts(queryset=None):
    """[(rating, label, count)] for every rating, best first, including the ratings nobody gave."""
    queryset = SurveyResponse.objects.all() if queryset is None else queryset
    counts = dict(queryset.order_by().values_list("rating").annotate(n=Count("pk")))
    return [(value, label, counts.get(value, 0)) for value, label in SurveyResponse.Rating.choices]
