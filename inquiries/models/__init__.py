from .cases import Case, CaseEvent, CaseImport, CaseSubscription
from .processing_times import ProcessingTime

__all__ = ["Case", "CaseEvent", "CaseImport", "CaseSubscription", "ProcessingTime"]
