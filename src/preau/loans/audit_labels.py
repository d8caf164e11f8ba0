from django.utils.translation import gettext_lazy as _

from preau.core.actions import describe

describe(
    {
        "loans.loanable_added": _("Equipment opened to bookings"),
        "loans.loanable_withdrawn": _("Equipment withdrawn from bookings"),
        "loans.booked": _("Equipment booked"),
        "loans.cancelled": _("Booking cancelled"),
        "loans.checked_out": _("Booked equipment checked out"),
        "loans.checked_in": _("Booked equipment returned"),
        "loans.overdue_notified": _("Late return notified"),
    }
)
