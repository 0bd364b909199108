"""The ``cancu`` command and the Datasette plugin: the parts a person uses.

``cli`` (click, Vietnamese help via ``clivi``) parses options and calls one library
function; ``render``, ``reports``, ``proposal``, ``questions`` and ``conditions_text``
turn results into Vietnamese text, tables and .docx; ``plugin/`` (with its
``templates/``) adds the SQL functions and pages to Datasette, started by ``serve``.
The library packages beside it are installed into this namespace from top-level
folders (``cancu.ingest``, ``cancu.kb``, ``cancu.classifier``, ``cancu.checker``,
``cancu.data``; see pyproject.toml).
"""
