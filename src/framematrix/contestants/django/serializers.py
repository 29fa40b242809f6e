"""Serializers: the contract's strict JSON rules on top of DRF's ModelSerializer.

DRF is lenient by default (it turns numbers into strings, "5" into a primary key, trims
whitespace and ignores unknown keys); the contract is not, so three small fields and one base
class tighten it.
"""

from __future__ import annotations

from typing import Any

from django.core.validators import RegexValidator
from django.db import models
from rest_framework import serializers
from rest_framework.settings import api_settings

from framematrix.contestants.django.models import Author, Post

MAX_ID = 2_147_483_647
email_pattern = RegexValidator(r"\A[^@\s]+@[^@\s]+\.[^@\s]+\Z", "Enter a valid email address.")


class StrictCharField(serializers.CharField):
    """Takes only a JSON string, stored exactly as sent (no coercion, no trimming)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return data


class AuthorIdField(serializers.PrimaryKeyRelatedField):
    """Takes only a JSON integer in the id range: not "5", 5.0 or true."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 1 <= data <= MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


class ContractSerializer(serializers.ModelSerializer):
    """A ModelSerializer that refuses unknown keys and an empty PATCH."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
    }

    def to_internal_value(self, data: Any) -> Any:
        writable = {name for name, field in self.fields.items() if not field.read_only}
        unknown = sorted(set(data) - writable)
        if unknown:
            raise serializers.ValidationError({name: ["Unknown field."] for name in unknown})
        if self.partial and not data:
            raise serializers.ValidationError(
                {api_settings.NON_FIELD_ERRORS_KEY: ["Give at least one field to change."]}
            )
        return super().to_internal_value(data)


class AuthorSerializer(ContractSerializer):
    class Meta:
        model = Author
        fields = ["id", "name", "email"]
        # Replacing the validators drops the UniqueValidator DRF adds for a unique field: it
        # checks first and inserts after, so two racing requests could both pass. The database's
        # unique constraint decides instead, and exceptions.py turns its IntegrityError into 409.
        extra_kwargs = {"email": {"validators": [email_pattern]}}


class PostSerializer(ContractSerializer):
    author = AuthorSerializer(read_only=True)
    author_id = AuthorIdField(source="author", queryset=Author.objects.all(), write_only=True)

    class Meta:
        model = Post
        fields = ["id", "title", "content", "author", "author_id", "created_at"]
        # Content may be empty (blank=True) but must still be sent in a PUT or POST.
        extra_kwargs = {"content": {"required": True}}
