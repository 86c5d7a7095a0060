"""Strings -> canonical values: text repair, amounts, counties, partners (periods and themes later)."""
