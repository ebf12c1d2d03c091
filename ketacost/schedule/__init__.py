"""When sessions happen: the induction, phases, maintenance, the days a clinic is open
(docs/schedule.md).
"""
