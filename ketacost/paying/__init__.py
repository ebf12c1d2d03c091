"""How a scenario's cost is paid: HSA/FSA, a savings program, the tax deduction, financing
(docs/paying.md).
"""
