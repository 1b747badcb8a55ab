from django.shortcuts import render

from .models import Post


def home(request):
    posts = Post.objects.exclude(services=[]).order_by("display_order")
    return render(request, "consular_portal/home.html", {"posts": posts})
