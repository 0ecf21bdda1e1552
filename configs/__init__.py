"""Experiment configs shipped with s2s1, as package data so the installed CLI finds them.

`quickstart.yaml` is the embedded default that `s2s1 quickstart` runs. This package holds no code.
"""
