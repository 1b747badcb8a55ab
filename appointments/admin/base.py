from django.contrib import admin

from ..permissions import visible_posts


class PostScopedAdmin(admin.ModelAdmin):
    """Staff see only the rows of their posts (administrators: all). ``post_path`` leads to the post."""

    post_path = "post"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.filter(**{f"{self.post_path}__in": visible_posts(request.user)})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "post":
            kwargs["queryset"] = visible_posts(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PostFilter(admin.SimpleListFilter):
    """Post filter offering only the posts the user may see."""

    title = "post"
    parameter_name = "post"
    post_path = "post"

    def lookups(self, request, model_admin):
        return [(str(post.pk), post.name) for post in visible_posts(request.user)]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{f"{self.post_path}__pk": self.value()})
        return queryset
