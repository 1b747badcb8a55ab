"""The retention of passport tracking (``consular_portal.retention``): a passport delivered or picked up is
done with; one at the post, on its way or returned is not, whatever its age."""

from consular_portal.retention import register, tracked_closed

from .models import PassportTracking

register("passports", expired=lambda cutoff: tracked_closed(PassportTracking, [PassportTracking.Status.DELIVERED],
                                                            cutoff))
