"""Compliance: rules a municipality sets for its devices and each device's verdict.

``rules`` holds the pure evaluation (no database), ``facts`` reads what a rule needs in
bulk, ``services`` writes (rules, verdicts), ``dashboard`` and ``export`` read for the
pages, ``tasks`` re-evaluates in the background and ``seed`` gives the demo its rules.
"""
