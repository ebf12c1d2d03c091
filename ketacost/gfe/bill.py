"""A bill against the Good Faith Estimate it followed (docs/gfe.md): what each provider
billed minus its subtotal on the estimate. $400 or more above it opens the patient-provider
dispute process, which must be started within 120 days of the bill's date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ketacost.gfe.document import DISPUTE_DAYS, DISPUTE_THRESHOLD
from ketacost.gfe.record import SavedGfe, SavedProvider
from ketacost.money import ZERO, Money, money_str


class BillError(ValueError):
    """A bill that cannot be checked; ``field`` names the request field at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True, slots=True, kw_only=True)
class Billed:
    """What one provider billed: ``npi`` None when the estimate has a single provider."""

    npi: str | None
    amount: Money


def parse_billed(text: str) -> tuple[str | None, str]:
    """``NPI=AMOUNT`` or ``AMOUNT``: the NPI (or None) and the amount as typed."""
    npi, sep, amount = text.partition("=")
    return (npi.strip(), amount) if sep else (None, text)


@dataclass(frozen=True, slots=True, kw_only=True)
class ProviderBill:
    """One provider's bill beside its subtotal on the estimate."""

    provider: SavedProvider
    billed: Money

    @property
    def over_by(self) -> Money:
        """How much the bill is above the estimate (zero when it is not)."""
        return max(self.billed - self.provider.subtotal, ZERO)

    @property
    def eligible(self) -> bool:
        """$400 or more above the estimate: the patient may start a dispute."""
        return self.over_by >= DISPUTE_THRESHOLD


@dataclass(frozen=True, slots=True, kw_only=True)
class BillCheck:
    """Every provider billed, and the last day to start a dispute."""

    providers: tuple[ProviderBill, ...]
    bill_date: date

    @property
    def deadline(self) -> date:
        return self.bill_date + timedelta(days=DISPUTE_DAYS)


def check_bill(gfe: SavedGfe, billed: Sequence[Billed], bill_date: date) -> BillCheck:
    """Each amount billed against its provider's subtotal, in the estimate's order. An
    amount without an NPI is the only provider's; each provider is billed once."""
    by_npi = {p.npi: p for p in gfe.providers}
    bills: dict[str, Money] = {}
    for bill in billed:
        npi = bill.npi
        if npi is None:
            if len(gfe.providers) != 1:
                listed = ", ".join(f"{p.npi} ({p.name})" for p in gfe.providers)
                raise BillError(
                    f"the estimate lists several providers: give each amount as NPI=AMOUNT "
                    f"({listed})",
                    "billed",
                )
            npi = gfe.providers[0].npi
        if npi not in by_npi:
            listed = ", ".join(by_npi)
            raise BillError(f"NPI {npi!r} is not on this estimate (its NPIs: {listed})", "billed")
        if npi in bills:
            raise BillError(f"NPI {npi} is billed twice: give one total per provider", "billed")
        bills[npi] = bill.amount
    return BillCheck(
        providers=tuple(
            ProviderBill(provider=p, billed=bills[p.npi]) for p in gfe.providers if p.npi in bills
        ),
        bill_date=bill_date,
    )


def bill_data(check: BillCheck) -> dict[str, Any]:
    """``{"providers": [{"npi", "name", "estimated", "billed", "over_by", "eligible"}],
    "deadline": "YYYY-MM-DD"}``."""
    return {
        "providers": [
            {
                "npi": bill.provider.npi,
                "name": bill.provider.name,
                "estimated": money_str(bill.provider.subtotal),
                "billed": money_str(bill.billed),
                "over_by": money_str(bill.over_by),
                "eligible": bill.eligible,
            }
            for bill in check.providers
        ],
        "deadline": check.deadline.isoformat(),
    }
