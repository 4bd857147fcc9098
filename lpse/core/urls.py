from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("dasbor/", views.dashboard, name="dashboard"),
    path("health/", views.health, name="health"),
    path("kalender/", views.closures, name="closures"),
]
