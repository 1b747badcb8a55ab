from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from . import views
from .dashboard_views import DashboardAdminSite

# The second factor is asked for when OTP_ADMIN is on (production); the site reads the setting at each request.
# Its landing page is the dashboard of the staff member's posts.
admin.site.__class__ = DashboardAdminSite

admin.site.site_header = "Consular Portal"
admin.site.site_title = "Consular Portal"

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("post/", views.choose_post, name="choose_post"),
    path("contact/", views.contact, name="contact"),
    path("feedback/", views.feedback, name="feedback"),
    path("feedback/thanks/", views.feedback_thanks, name="feedback_thanks"),
    path("fraud/", views.fraud, name="fraud"),
    path("fraud/received/<str:token>/", views.fraud_received, name="fraud_received"),
    path("appointments/", include("appointments.urls")),
    path("passports/", include("passports.urls")),
    path("cases/", include("inquiries.case_urls")),
    path("processing-times/", include("inquiries.processing_time_urls")),
    path("assistance/", include("inquiries.assistance_urls")),
    path("inquiries/", include("inquiries.urls")),
    prefix_default_language=True,
)
