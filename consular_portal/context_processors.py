from django.conf import settings


def portal(request):
    return {"PRODUCTION": settings.PRODUCTION}
