from django.urls import path

from . import in_person_views, views

app_name = "appointments"

urlpatterns = [
    path("requests/<str:token>/", views.request_detail, name="request_detail"),
    path("<slug:post>/", views.policy_page, name="policy"),
    path("<slug:post>/request/", views.request_form, name="request_form"),
    path("in-person/<str:token>/", in_person_views.in_person_detail, name="in_person_detail"),
    path("<slug:post>/in-person/", in_person_views.in_person_form, name="in_person_form"),
]
