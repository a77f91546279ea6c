"""Speed benchmark: ``python -m bench.speed --corpus DIR [--json] [--types a,b] [--limit N] [--workers 1,2]``.

``run`` measures stock RapidOCR and certscan side by side in one process (with ``stages`` timing certscan's
stages from outside and the accuracy harness scoring it), ``workers`` measures certscan with N processes,
``report`` turns it all into JSON and tables.
"""
