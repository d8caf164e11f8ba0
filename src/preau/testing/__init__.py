"""Helpers shared by the apps' tests (never imported by application code)."""
