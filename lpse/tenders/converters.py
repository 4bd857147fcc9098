"""The ``tender_code`` URL converter: a tender code is digits only (BID-5)."""

from django.urls import register_converter
from django.urls.converters import get_converters


class TenderCodeConverter:
    regex = "[0-9]{1,20}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


def register() -> None:
    if "tender_code" not in get_converters():
        register_converter(TenderCodeConverter, "tender_code")
