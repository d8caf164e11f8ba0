from django.urls import path

from preau.directory.views import browse, onde, staff

app_name = "directory"
urlpatterns = [
    path("", browse.index, name="index"),
    path("schools/", browse.school_list, name="school_list"),
    path("schools/<int:pk>/", browse.school_detail, name="school_detail"),
    path("sites/", browse.site_list, name="site_list"),
    path("sites/<int:pk>/", browse.site_detail, name="site_detail"),
    path("classes/", browse.class_list, name="class_list"),
    path("classes/<int:pk>/", browse.class_detail, name="class_detail"),
    path("pupils/", browse.pupil_list, name="pupil_list"),
    path("pupils/<int:pk>/", browse.pupil_detail, name="pupil_detail"),
    path("guardians/", browse.guardian_list, name="guardian_list"),
    path("guardians/<int:pk>/", browse.guardian_detail, name="guardian_detail"),
    path("staff/", staff.staff_list, name="staff"),
    path("staff/<int:pk>/revoke/", staff.revoke, name="staff_revoke"),
    path("schools/<int:pk>/onde/", onde.upload, name="onde_upload"),
    path("onde/<int:pk>/", onde.preview, name="onde_preview"),
    path("onde/<int:pk>/apply/", onde.apply, name="onde_apply"),
]
