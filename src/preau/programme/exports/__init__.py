"""A payment claim's exports: one statement (``statement.build_statement``) rendered as
PDF (``pdf``), as a workbook (``xlsx``), and the invoice scans in its order (``scans``).

A submitted claim's statement reads its frozen ``ClaimLine`` rows and totals; a draft's
is computed from its invoices now and is marked DRAFT everywhere it is printed.
"""
