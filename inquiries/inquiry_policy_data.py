"""The status inquiry policy every post starts with: the Embassy's notice of 21 September 2018 and its current
inquiry form (the fourth route and the follow-up wait). Officers change it in the admin afterwards."""

ROUTES = [
    # (route, amount, unit)
    ("interview", 10, "business_days"),
    ("mail", 10, "business_days"),
    ("treaty_trader", 1, "months"),
    ("additional_documents", 15, "days"),
]
FOLLOW_UP_BUSINESS_DAYS = 3
ANSWER_BUSINESS_DAYS = 5


def seed_inquiry_policies(post_model, policy_model, route_model):
    """A policy with the four routes for each post that has none (historical models accepted)."""
    for post in post_model.objects.filter(inquiry_policy__isnull=True):
        policy = policy_model.objects.create(post=post, follow_up_business_days=FOLLOW_UP_BUSINESS_DAYS,
                                             answer_business_days=ANSWER_BUSINESS_DAYS)
        route_model.objects.bulk_create(
            route_model(policy=policy, route=route, amount=amount, unit=unit, order=order)
            for order, (route, amount, unit) in enumerate(ROUTES)
        )
