from django.urls import path

from . import inquiry_views

app_name = "inquiries"

urlpatterns = [
    path("", inquiry_views.check, name="check"),
    path("ask/", inquiry_views.inquiry_form, name="form"),
    path("<str:token>/", inquiry_views.inquiry_detail, name="detail"),
    path("<str:token>/withdraw/", inquiry_views.inquiry_withdraw_view, name="withdraw"),
]
