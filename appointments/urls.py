from django.urls import path

from . import views

app_name = "appointments"

urlpatterns = [
    path("requests/<str:token>/", views.request_detail, name="request_detail"),
    path("<slug:post>/", views.policy_page, name="policy"),
    path("<slug:post>/request/", views.request_form, name="request_form"),
]
