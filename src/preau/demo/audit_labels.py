from django.utils.translation import gettext_lazy as _

from preau.core.actions import describe

describe({"demo.loaded": _("Demo world loaded")})
