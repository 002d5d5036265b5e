"""Pages of question banks, one module a subject (``urls.py`` names them):

* ``banks`` — the list, creating and changing a bank, a bank with its questions;
* ``questions`` — adding a question with a live preview, its history, revising, retiring;
* ``files`` — the import page, the template and the exports.

Each view parses input, asks a gate, calls a service or selector and renders — nothing else.
"""
