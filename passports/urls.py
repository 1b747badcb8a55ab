from django.urls import path

from . import views

app_name = "passports"

urlpatterns = [
    path("status/", views.status, name="status"),
    path("statuses/", views.statuses, name="statuses"),
    path("alerts/", views.subscribe, name="subscribe"),
    path("alerts/sent/", views.subscribe_sent, name="subscribe_sent"),
    path("alerts/confirm/<str:token>/", views.subscription_confirm, name="subscription_confirm"),
    path("alerts/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("delivery/<str:token>/", views.delivery, name="delivery"),
]
