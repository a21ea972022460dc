"""Compiled reads: a whole query operation as one SQL statement that builds its JSON.

The resolvers (``resolvers/graph``, ``resolvers/subsidy`` …) answer any
operation field by field, one statement per level. On PostgreSQL, a query
whose every field has a SQL shape here is instead planned once per
(query text, role, scope rule, shape of its variables) into a single
statement of nested ``json_build_object``/``json_agg`` subqueries, what
PostGraphile and Hasura do, and run as a prepared statement with the
request's values: one round trip, no per-field Python.

- ``sql.py``: the text pieces (parameters, global ids, cursors, masking) and
  the compilation of a scoped SQLAlchemy select into text whose scope values
  are parameters, so one plan serves every account of a role.
- ``shapes.py``: how a field is read in SQL (a column, a parent, a page of
  children, a list through a link, rolled-up figures); each area declares
  its types' shapes beside its loaders (``resolvers/graph/compiled.py``).
- ``planner.py``: walks the validated selection (fragments, aliases,
  ``@skip``/``@include``, type conditions) and writes the statement.
- ``executor.py``: the plan cache and the graphql-core executor hook that
  tries a plan first and falls back to the resolvers.

Nothing here decides visibility: every row source is the area's own scoped
select (``NodeKind.scoped``), the same one the loaders run, and the role's
schema has already refused fields it does not show. A field without a shape,
an argument the plan cannot take, or a statement that fails for a reason of
its own sends the operation to the resolvers, which answer (or refuse) it
exactly as before.
"""
