from .cases import Case, CaseEvent, CaseImport, CaseSubscription
from .inquiry import Inquiry, InquiryEvent, StandardReply, VisaCategory
from .inquiry_policy import InquiryPolicy, InquiryRoute, Route, WaitUnit
from .live_assistance import LiveAssistanceRequest, LiveAssistanceRequestEvent, LiveAssistanceTopic
from .processing_times import ProcessingTime

__all__ = [
    "Case", "CaseEvent", "CaseImport", "CaseSubscription", "Inquiry", "InquiryEvent", "InquiryPolicy", "InquiryRoute",
    "LiveAssistanceRequest", "LiveAssistanceRequestEvent", "LiveAssistanceTopic", "ProcessingTime", "Route",
    "StandardReply", "VisaCategory", "WaitUnit",
]
