"""The lock that a model's heavy libraries (Keras with TensorFlow, statsmodels) are first imported under.

Two threads importing one large package at once can each wait on a module the other is initialising, and Python then
hands one of them a partly initialised module. The app imports from several threads (the Train page's preloading, a
training thread, another page's own fit), so these first imports take turns: ``core.models.import_needs`` and
``core.models.keras_training.keras_module`` hold this lock while they import. Reentrant: the first calls the second.
"""
import threading

IMPORT_LOCK = threading.RLock()
