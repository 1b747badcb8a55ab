"""The product's URLs plus ``/floor/``, the benchmark's yardstick: one indexed query (a post by slug) and a
few bytes through the same middleware. Used only by ``benchmarks/pages.py`` (``ROOT_URLCONF`` of its server).
"""

from django.http import HttpResponse
from django.urls import path

from consular_portal.models import Post
from consular_portal.urls import urlpatterns as product_urlpatterns


def floor(request):
    post = Post.objects.only("slug").get(slug="tokyo")
    return HttpResponse(post.slug, content_type="text/plain")


# i18n_patterns cannot sit in an included URLconf, so the product's patterns are appended as they are.
urlpatterns = [path("floor/", floor, name="floor"), *product_urlpatterns]
