"""Neurons to NPUs autograder: release, validate, grade and report nbgrader assignments."""

__version__ = "0.1.0"
