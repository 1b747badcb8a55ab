from django.urls import path

from . import views

app_name = "passports"

urlpatterns = [
    path("status/", views.status, name="status"),
    path("statuses/", views.statuses, name="statuses"),
]
