"""The token page under /akun/token-api/ (GEN-3). Its own namespace: "api" is the JSON API's."""

from django.urls import path

from . import views

app_name = "apitokens"

urlpatterns = [
    path("", views.tokens, name="list"),
    path("<int:pk>/cabut/", views.revoke, name="revoke"),
]
