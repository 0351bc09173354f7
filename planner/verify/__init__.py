"""The independent pure-Python verifier: re-checks every schedule without the model."""
