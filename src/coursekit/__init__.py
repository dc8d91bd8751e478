"""Course machinery for the book's exercises: answer checks, quizzes and explorers.

This package is separate from the domain library ``socialprotection``: it knows about
learners and feedback, not about social protection.

>>> from coursekit import check, register, Misconception
"""

from coursekit.checks import Check, Feedback, Misconception, check, clear, register, registered

__all__ = ["Check", "Feedback", "Misconception", "check", "clear", "register", "registered"]
