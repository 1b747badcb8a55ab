"""The six passport tracking statuses, with what each means and what to do next (from the "Passport
Tracking Status" page of the Japan posts). The lookup page, the status page and the email auto-reply all
say them from here."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    AT_POST = "at_post", _("Your passport is still with the US Embassy or Consulate")
    PROCESSING = "processing", _(
        "Passport has been received from the consular section, and is currently being processed for delivery")
    OUT_FOR_DELIVERY = "out_for_delivery", _("Out for Delivery")
    DELIVERED = "delivered", _("Your passport has been picked up")
    NO_UPDATE = "no_update", _("There is no status update available for the passport")
    RETURNED = "returned", _("Your passport has been returned to post")


@dataclass(frozen=True)
class StatusText:
    meaning: str
    advice: str


AFTER_DISPATCH = _(
    "The Embassy or the Consulate cannot help you regarding the status of your passport delivery after your "
    "passport has left the Embassy. Please do not contact the Embassy or Consulate directly regarding the "
    "status of your passport delivery."
)

TEXT = {
    Status.AT_POST: StatusText(
        _("It means your passport is at the Embassy or Consulate."),
        _("Please check again later: the status changes when your passport leaves for delivery."),
    ),
    Status.PROCESSING: StatusText(
        _("It means your passport has left the Embassy or Consulate and is being prepared for shipping at the "
          "Delivery Service Center."),
        AFTER_DISPATCH,
    ),
    Status.OUT_FOR_DELIVERY: StatusText(
        _("Your passport is on the way to be delivered to the registered mailing address by Japan Post. You may "
          "track the delivery status using the Letter Pack number on Japan Post’s website."),
        AFTER_DISPATCH,
    ),
    Status.DELIVERED: StatusText(
        _("It means Japan Post has delivered your passport to the registered address or you can go to the Post "
          "office you have chosen to pick up your passport; or a notification has been dropped by a mailman in "
          "your mailbox for further arrangements. You may track the delivery status using the letter pack "
          "number on Japan Post website."),
        _("If your passport is ready for pick-up, please collect it in a timely manner and bring supporting "
          "documents. If your passport is not collected in a timely manner it will be sent back to the Embassy "
          "or Consulate."),
    ),
    Status.NO_UPDATE: StatusText(
        _("Passport tracking information is currently not available. If you have applied for a visa at "
          "Sapporo, Fukuoka, or Naha, or by mail to Osaka, please try again later."),
        _("Check that you entered the passport number exactly as it was entered at the time the appointment "
          "was scheduled, and try again later."),
    ),
    Status.RETURNED: StatusText(
        _("Your passport has been returned to the Embassy or Consulate due to an incorrect name and/or address "
          "or because you failed to pick up the package at a post office in time."),
        _("Please contact the Call Center for redelivery of your passport."),
    ),
}

# Which status may follow which (keeping a status, with a note, is always allowed; a new passport may start in
# any status). From the meanings above: a passport leaves the post for the Delivery Service Center, goes out
# with Japan Post and is delivered or waits at the post office; it comes back to the post (returned) from the
# Delivery Service Center, from a delivery or when not picked up in time, and goes out again on redelivery.
# A delivery service file may skip a step (a passport at the post seen next out for delivery), so every later
# step may follow; what never follows is a step back (out for delivery, then at the Delivery Service Center
# again) or a delivered passport becoming anything but returned. "No status update available" is what the
# posts without tracking (standard delivery) report before delivery; any tracked status may follow it.
TRANSITIONS = {
    Status.AT_POST: (Status.PROCESSING, Status.OUT_FOR_DELIVERY, Status.DELIVERED, Status.NO_UPDATE),
    Status.PROCESSING: (Status.OUT_FOR_DELIVERY, Status.DELIVERED, Status.NO_UPDATE, Status.RETURNED),
    Status.OUT_FOR_DELIVERY: (Status.DELIVERED, Status.RETURNED),
    Status.DELIVERED: (Status.RETURNED,),
    Status.NO_UPDATE: (Status.AT_POST, Status.PROCESSING, Status.OUT_FOR_DELIVERY, Status.DELIVERED,
                       Status.RETURNED),
    Status.RETURNED: (Status.PROCESSING, Status.OUT_FOR_DELIVERY, Status.DELIVERED),
}

# The statuses in which the Letter Pack number is shown and linked to Japan Post's tracking page.
LETTER_PACK_STATUSES = {Status.OUT_FOR_DELIVERY, Status.DELIVERED}


def text(status):
    return TEXT[Status(status)]
