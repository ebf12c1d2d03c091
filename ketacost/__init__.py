"""ketacost: estimate what ketamine infusion therapy will cost a patient."""

__version__ = "0.2.0"

DISCLAIMER = "This is an estimate, not medical or financial advice."
