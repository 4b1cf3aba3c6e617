"""Click commands of ``flask --app registry ...``, one module per concern, each with a ``register(app)``.

They parse arguments, call a domain function, report and commit: the work itself is in ``registry.domain``.
"""
