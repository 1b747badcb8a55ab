"""Which posts' data a member of staff may see, and the one admin base class that enforces it.

Officers and passport staff see the rows of the posts they are staff of (``Post.staff``); administrators see
everything. Every admin of a model that belongs to a post extends ``PostScopedAdmin``: its queryset is
filtered, and *every* URL it serves for one object (change, delete, history, the history form that
reverts, and any custom view a subclass adds, such as a decision or a document) answers 404 unless the
object is in that queryset. The check wraps the admin's final URL list, so a view added later is covered
without anyone remembering to call it. ``tests/admin_access/`` enumerates every admin URL for every persona.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.urls import URLPattern, URLResolver
from django.utils.translation import gettext_lazy as _

from .admin_paging import EstimatedCountPaginator
from .groups import ADMINISTRATORS

OBJECT_ARGUMENTS = ("object_id", "pk")


def sees_all_posts(user):
    return user.is_active and user.is_staff and (
        user.is_superuser or user.groups.filter(name=ADMINISTRATORS).exists()
    )


def visible_posts(user):
    """The posts whose work ``user`` may see."""
    from .models import Post

    if not user.is_authenticated or not user.is_active or not user.is_staff:
        return Post.objects.none()
    if sees_all_posts(user):
        return Post.objects.all()
    return user.posts.all()


def visible_post_ids(user):
    """The ids of ``visible_posts(user)``, read once for the user object (a request's), as Django keeps its
    permissions. A list, not a subquery: the planner then uses each table's (post, …) index for the queue's
    filter and ordering instead of scanning the table in the order's index."""
    if not hasattr(user, "_visible_post_ids"):
        user._visible_post_ids = list(visible_posts(user).values_list("pk", flat=True))
    return user._visible_post_ids


def scope_queryset(queryset, user, *, post_path, unassigned_visible=False):
    """``queryset`` reduced to the rows of ``user``'s posts. ``post_path`` leads from a row to its post ("" for
    the posts themselves). Rows without a post are for administrators, unless ``unassigned_visible``."""
    if sees_all_posts(user):
        return queryset
    lookup = f"{post_path}__in" if post_path else "pk__in"
    condition = Q(**{lookup: visible_post_ids(user)})
    if unassigned_visible and post_path:
        condition |= Q(**{f"{post_path}__isnull": True})
    return queryset.filter(condition)


class PostScopedAdmin(admin.ModelAdmin):
    """Staff see, open and change only the rows of their posts (administrators: all). Lists count their rows
    exactly up to a bound and estimate beyond it (``admin_paging``)."""

    paginator = EstimatedCountPaginator
    post_path = "post"
    unassigned_visible = False

    def get_queryset(self, request):
        return scope_queryset(super().get_queryset(request), request.user, post_path=self.post_path,
                              unassigned_visible=self.unassigned_visible)

    def _scoped_choices(self, db_field, request, kwargs):
        """A form's choices of a related object (a post, a policy, a slot) are scoped by that model's admin."""
        related_admin = self.admin_site._registry.get(db_field.related_model)
        if isinstance(related_admin, PostScopedAdmin):
            kwargs["queryset"] = related_admin.get_queryset(request)
        elif db_field.related_model._meta.label_lower == "consular_portal.post":
            kwargs["queryset"] = visible_posts(request.user)
        return kwargs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(db_field, request, **self._scoped_choices(db_field, request, kwargs))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.related_model._meta.label_lower == "auth.user":
            return super().formfield_for_manytomany(db_field, request, **kwargs)
        return super().formfield_for_manytomany(db_field, request, **self._scoped_choices(db_field, request, kwargs))

    def lookup_allowed(self, lookup, value, request):
        """Only the filters the admin offers: no ``?field__startswith=`` oracle on any other column."""
        offered = {self.date_hierarchy} if self.date_hierarchy else set()
        for spec in self.get_list_filter(request):
            field = spec[0] if isinstance(spec, (tuple, list)) else spec
            if isinstance(field, str):
                offered.add(field.split("__")[0])
            elif issubclass(field, admin.SimpleListFilter):
                offered.add(field.parameter_name)
        return lookup.split("__")[0] in offered and super().lookup_allowed(lookup, value, request)

    def object_in_scope(self, request, object_id):
        try:
            return self.get_queryset(request).filter(pk=unquote(str(object_id))).exists()
        except (ValueError, TypeError, ValidationError):
            return False

    def _scoped(self, view):
        def scoped_view(request, *args, **kwargs):
            user = request.user
            if user.is_active and user.is_staff:  # anyone else is sent to the login page by the view itself
                object_id = next((kwargs[name] for name in OBJECT_ARGUMENTS if name in kwargs), None)
                if object_id is None and args:
                    object_id = args[0]
                if object_id is not None and not self.object_in_scope(request, object_id):
                    raise Http404("no such object")
            return view(request, *args, **kwargs)

        scoped_view.__name__ = getattr(view, "__name__", "scoped_view")
        scoped_view.__wrapped__ = view
        return scoped_view

    @property
    def urls(self):
        return [_wrap(pattern, self._scoped) for pattern in self.get_urls()]


def _wrap(pattern, wrapper):
    if isinstance(pattern, URLResolver):
        return pattern
    assert isinstance(pattern, URLPattern)
    wrapped = URLPattern(pattern.pattern, wrapper(pattern.callback), pattern.default_args, pattern.name)
    return wrapped


class PostFilter(admin.SimpleListFilter):
    """Post filter offering only the posts the user may see."""

    title = _("post")
    parameter_name = "post"
    post_path = "post"

    def lookups(self, request, model_admin):
        return [(str(post.pk), post.name) for post in visible_posts(request.user)]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(**{f"{self.post_path}__pk": value})
        return queryset
