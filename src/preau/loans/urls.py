from django.urls import URLPattern, path

from preau.loans import views, views_manage

app_name = "loans"
urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("site/<int:pk>/", views.site_week, name="site_week"),
    path("<int:pk>/", views.asset_week, name="asset_week"),
    path("<int:pk>/book/", views.book, name="book"),
    path("bookings/<int:pk>/", views.booking_detail, name="booking"),
    path("bookings/<int:pk>/check-out/", views.check_out, name="check_out"),
    path("bookings/<int:pk>/check-in/", views.check_in, name="check_in"),
    path("bookings/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("manage/", views_manage.manage, name="manage"),
    path("manage/<int:pk>/withdraw/", views_manage.withdraw, name="withdraw"),
]
