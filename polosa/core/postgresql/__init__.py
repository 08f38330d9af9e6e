"""Django's PostgreSQL backend, with the statement-size limit that server-side binding brings.

With ``OPTIONS["server_side_binding"]`` (on by default here, see settings/base.py) every value travels
as a protocol parameter, and psycopg prepares a statement the connection has run twice: PostgreSQL
then skips parsing and planning, most of its CPU per cold article page. The protocol allows at most
65,535 parameters per statement, which Django 5.2 does not know of, so a large ``bulk_create`` would
be refused. Django's development branch learnt the limit in January 2026 (ticket #36822); this backend
backports just that, until the project moves to a release that has it.
"""
