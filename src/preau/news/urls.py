from django.urls import path

from preau.news import views, views_comments, views_consent, views_edit

app_name = "news"
urlpatterns = [
    path("", views.timeline, name="timeline"),
    path("class/<int:pk>/", views.class_news, name="class"),
    path("school/<int:pk>/", views.school_news, name="school"),
    path("<int:pk>/", views.detail, name="detail"),
    path("photo/<int:pk>/", views.photo_file, name="photo"),
    path("photo/<int:pk>/thumbnail/", views.photo_thumbnail, name="photo_thumbnail"),
    path("file/<int:pk>/", views.attachment_file, name="attachment"),
    # Writing
    path("new/", views_edit.new_index, name="new_index"),
    path("new/<str:kind>/<int:pk>/", views_edit.new, name="new"),
    path("mine/", views_edit.mine, name="mine"),
    path("<int:pk>/edit/", views_edit.edit, name="edit"),
    path("<int:pk>/media/", views_edit.add_media, name="add_media"),
    path("<int:pk>/publish/", views_edit.publish, name="publish"),
    path("<int:pk>/unpublish/", views_edit.unpublish, name="unpublish"),
    path("<int:pk>/delete/", views_edit.delete, name="delete"),
    path("<int:pk>/history/", views_edit.history, name="history"),
    path("photo/<int:pk>/edit/", views_edit.update_photo, name="update_photo"),
    path("photo/<int:pk>/remove/", views_edit.remove_photo, name="remove_photo"),
    path("file/<int:pk>/remove/", views_edit.remove_attachment, name="remove_attachment"),
    # Comments
    path("<int:pk>/comments/", views_comments.add, name="comment"),
    path("comment/<int:pk>/moderate/", views_comments.moderate, name="moderate_comment"),
    path("comment/<int:pk>/delete/", views_comments.delete_own, name="delete_comment"),
    # Photo consent (guardians)
    path("consent/", views_consent.consent_page, name="consent"),
    path("consent/<int:pk>/", views_consent.set_consent, name="set_consent"),
]
