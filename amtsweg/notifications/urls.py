from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("demo-postfach/", views.mailbox_list, name="mailbox"),
    path("demo-postfach/<str:name>/", views.mailbox_detail, name="mailbox_detail"),
    path("demo-postfach/<str:name>/anhang/<str:number>/", views.mailbox_file, name="mailbox_file"),
]
