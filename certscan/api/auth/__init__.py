"""Request authentication: one verifier per signature scheme, chosen by the Authorization prefix.

The entry point is :func:`certscan.api.signing.verify_request`; this package holds the pieces.
"""
