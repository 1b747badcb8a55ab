from django.urls import path

from . import processing_time_views

app_name = "processing_times"

urlpatterns = [
    path("", processing_time_views.processing_times, name="list"),
]
