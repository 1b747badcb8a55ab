from django.urls import path

from . import case_views

app_name = "cases"

urlpatterns = [
    path("status/", case_views.status, name="status"),
    path("statuses/", case_views.statuses, name="statuses"),
    path("alerts/", case_views.subscribe, name="subscribe"),
    path("alerts/sent/", case_views.subscribe_sent, name="subscribe_sent"),
    path("alerts/confirm/<str:token>/", case_views.subscription_confirm, name="subscription_confirm"),
    path("alerts/unsubscribe/<str:token>/", case_views.unsubscribe, name="unsubscribe"),
]
