from django.urls import path

from . import assistance_views

app_name = "assistance"

urlpatterns = [
    path("requests/<str:token>/", assistance_views.request_detail, name="detail"),
    path("<slug:post>/", assistance_views.request_form, name="request"),
]
