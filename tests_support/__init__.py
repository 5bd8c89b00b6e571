"""Test support shared by every app's tests: pytest plugins loaded by the root conftest."""
