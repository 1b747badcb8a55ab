from django.urls import path

from . import appointment_views, in_person_views, views

app_name = "appointments"

urlpatterns = [
    path("requests/<str:token>/", views.request_detail, name="request_detail"),
    path("requests/<str:token>/withdraw/", appointment_views.withdraw, {"service": "expedite"},
         name="request_withdraw"),
    path("requests/<str:token>/appointment.ics", appointment_views.calendar, {"service": "expedite"},
         name="request_calendar"),
    path("<slug:post>/", views.policy_page, name="policy"),
    path("<slug:post>/request/", views.request_form, name="request_form"),
    path("<slug:post>/request/check/", views.request_check, name="request_check"),
    path("in-person/<str:token>/", in_person_views.in_person_detail, name="in_person_detail"),
    path("in-person/<str:token>/withdraw/", appointment_views.withdraw, {"service": "in-person"},
         name="in_person_withdraw"),
    path("in-person/<str:token>/appointment.ics", appointment_views.calendar, {"service": "in-person"},
         name="in_person_calendar"),
    path("<slug:post>/in-person/", in_person_views.in_person_form, name="in_person_form"),
]
