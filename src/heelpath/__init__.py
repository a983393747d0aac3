"""heelpath: clinical decision support for heel pain.

Tells heel pain referred from the lumbar spine or caused by systemic inflammation apart from local
heel causes, catches red flags and says what to do next. It supports, and does not replace, a
clinician.
"""

__version__ = "0.1.0"
