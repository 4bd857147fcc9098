from django.urls import path

from . import views

app_name = "backups"
urlpatterns = [
    path("", views.run_list, name="list"),
    path("<int:pk>/", views.run_detail, name="detail"),
    path("<int:pk>/periksa/", views.run_verify, name="verify"),
    path("media/<int:pk>/", views.medium_detail, name="medium"),
]
