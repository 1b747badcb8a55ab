"""The filter of the public processing times page (a GET form that works without JavaScript)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from consular_portal.text import PrintableTextForm


class ProcessingTimeFilterForm(PrintableTextForm, forms.Form):
    """Post and service, each optional; a value that is not one of the choices is an error on its field."""

    post = forms.ChoiceField(label=pgettext_lazy("embassy or consulate", "Post"), required=False)
    service = forms.ChoiceField(label=_("Visa category or form"), required=False)

    def __init__(self, *args, posts, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].choices = [("", _("All posts")), *((post.slug, post.name) for post in posts)]
        self.fields["service"].choices = [("", _("All services")), *((service, service) for service in services)]
        self.posts = {post.slug: post for post in posts}
        self.helper = FormHelper()
        self.helper.form_id = "processing-times-filter"
        self.helper.form_method = "get"
        self.helper.add_input(Submit("submit", _("Show the processing times")))

    def clean_post(self):
        return self.posts.get(self.cleaned_data["post"])
