"""Argument types shared by the management commands."""

from argparse import ArgumentTypeError


def positive_int(value: str) -> int:
    """A whole number of at least 1 (argparse answers anything else with the command's usage)."""
    number = int(value)
    if number < 1:
        raise ArgumentTypeError("must be at least 1")
    return number
