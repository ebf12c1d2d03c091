"""The fields of a patient's plan: their bounds and the defaults the plan's own figures
replace when given (docs/coverage.md, docs/refunds.md)."""

from __future__ import annotations

from decimal import Decimal

CLAIM_DAYS = 60
"""Days from filing a claim to the plan's payment when the plan's own figure is not
given: the late end of the 4 to 8 weeks an out-of-network claim usually takes
(superbilled.com, 'How Long Does Insurance Reimbursement for Therapy Take?', 2026-02-09:
processing 14-30 days, payment 30-60 days after filing). The late end, so a forecast is
never early."""

FILING_LIMIT = 90
"""Days after the visit within which the plan must receive the claim, when the plan's own
limit is not given: the shortest limit commonly found (plans allow 90 to 365 days,
superbilled.com, 2026-02-09), so no deadline shown is later than the plan's."""

MAX_CLAIM_DAYS = 365
MAX_FILING_LIMIT = 3 * 365
MAX_MEDICARE_PERCENT = Decimal(10)  # 1,000%
MAX_CODES = 200
MAX_CODE_LENGTH = 16
