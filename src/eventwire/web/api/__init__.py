"""The JSON API under ``/api``: one module per resource, each with its ``router``.

Lists share their filters, paging and sorting (:mod:`eventwire.web.params`); reads
are anonymous; writes (corrections, ingest) need the token (:mod:`eventwire.web.security`).
"""
