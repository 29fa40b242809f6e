"""The form of the "new post" page: a ModelForm, so the model's lengths are its rules."""

from django import forms

from framematrix.contestants.django.models import Post


class PostForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = ["title", "content"]
