"""The front desk in a browser (``ketacost serve``, extra ``ketacost[web]``).

A thin face like the command line: each page reads a form into the same request the CLI
builds (:mod:`ketacost.web.form`, the one adapter), calls the core, and draws the report
with the same renderers. Imported only by ``ketacost serve``.
"""
