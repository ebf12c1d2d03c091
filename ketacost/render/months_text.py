"""An estimate month by month as CSV and Markdown (``estimate --by-month``)."""

from __future__ import annotations

import csv
import io

from ketacost.estimate import Estimate
from ketacost.money import format_money, money_str
from ketacost.months import by_month
from ketacost.render.summary import assumptions
from ketacost.render.text import md_escape
from ketacost.sheet import SCENARIOS


def months_csv(est: Estimate) -> str:
    """``month,sessions,charges_low,...,out_of_pocket_high`` with money as ``1234.50``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["month", "sessions", *(f"charges_{n}" for n in SCENARIOS),
                     *(f"out_of_pocket_{n}" for n in SCENARIOS)])
    for month in by_month(est):
        writer.writerow([month.key, month.sessions,
                         *(money_str(month.charges[n]) for n in SCENARIOS),
                         *(money_str(month.out_of_pocket[n]) for n in SCENARIOS)])
    return out.getvalue()


def months_markdown(est: Estimate) -> str:
    """One row per month: sessions, typical charges, out of pocket low/typical/high and
    the running total, then the assumptions."""
    lines = ["| Month | Sessions | Charges | Out of pocket (low) | Out of pocket (typical) "
             "| Out of pocket (high) | Running total |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    months = by_month(est)
    for m in months:
        cells = [str(m.sessions or ""), format_money(m.charges["typical"]),
                 *(format_money(m.out_of_pocket[n]) for n in SCENARIOS),
                 format_money(m.running["typical"])]
        lines.append(f"| {m.start:%b %Y} | " + " | ".join(cells) + " |")
    typical = est.scenarios["typical"]
    totals = [str(sum(m.sessions for m in months)), format_money(typical.charges),
              *(format_money(est.scenarios[n].out_of_pocket) for n in SCENARIOS), ""]
    lines.append("| **Total** | " + " | ".join(f"**{c}**" if c else "" for c in totals) + " |")
    lines.append("")
    lines.extend(f"{md_escape(note)}  " for note in assumptions(est))
    return "\n".join(lines).rstrip() + "\n"
