"""Who may do what with status inquiries (least privilege): officers read and answer their posts' inquiries,
keep their posts' policy and standard replies; administrators everything; passport staff nothing. Which posts
is decided by ``Post.staff``."""

from consular_portal.groups import ADMINISTRATORS, OFFICERS

CRUD = ["add", "change", "delete", "view"]
MODELS = ("inquiry", "inquiryevent", "inquirypolicy", "inquiryroute", "standardreply")
OFFICER_PERMISSIONS = [
    "inquiries.view_inquiry", "inquiries.decide_inquiry", "inquiries.view_inquiryevent",
    "inquiries.view_inquirypolicy", "inquiries.change_inquirypolicy",
    "inquiries.view_inquiryroute", "inquiries.change_inquiryroute",
    "inquiries.add_standardreply", "inquiries.change_standardreply", "inquiries.view_standardreply",
]
GRANTS = {
    OFFICERS: OFFICER_PERMISSIONS,
    ADMINISTRATORS: sorted({"inquiries.decide_inquiry"}
                           | {f"inquiries.{action}_{model}" for action in CRUD for model in MODELS}),
}
