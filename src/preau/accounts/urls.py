from django.urls import path

from preau.accounts.views import activation, audit, profile, tokens

app_name = "accounts"
urlpatterns = [
    path("", profile.profile, name="profile"),
    path("activate/", activation.activate, name="activate"),
    path("activate/choose/", activation.activate_choose, name="activate_choose"),
    path("classes/<int:pk>/activation/", activation.class_activation, name="class_activation"),
    path("classes/<int:pk>/letters.pdf", activation.letters_pdf, name="letters_pdf"),
    path("guardians/<int:pk>/reissue/", activation.reissue_code, name="reissue_code"),
    path("audit/", audit.audit_log, name="audit_log"),
    path("tokens/", tokens.api_tokens, name="api_tokens"),
]
