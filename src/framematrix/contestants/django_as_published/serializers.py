"""The article's serializers.py, on the idiomatic contestant's strict `ContractSerializer`.

The base class is what the contract forces: DRF's plain ModelSerializer turns numbers into
strings, trims whitespace and ignores unknown keys (RULES.md 11, 12, 15). So is `author_id`,
the writable side of the nested read-only author, without which no post can be written.
"""

from framematrix.contestants.django.serializers import AuthorIdField, ContractSerializer
from framematrix.contestants.django_as_published.models import Author, Post


class AuthorSerializer(ContractSerializer):
    class Meta:
        model = Author
        fields = ["id", "name", "email"]


class PostSerializer(ContractSerializer):
    author = AuthorSerializer(read_only=True)
    author_id = AuthorIdField(source="author", queryset=Author.objects.all(), write_only=True)

    class Meta:
        model = Post
        fields = ["id", "title", "content", "author", "author_id", "created_at"]
        # Content may be empty (blank=True) but must still be sent in a PUT or POST.
        extra_kwargs = {"content": {"required": True}}
