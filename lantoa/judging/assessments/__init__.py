"""Criteria assessments: the rubric engine applied to a unit or to an exemplary model ("Dân vận
khéo"). A campaign of an assessing unit names a rubric version, a year, a pass threshold and
its subjects; each subject assesses itself and submits (locked), the level above verifies with
its own scores (a reason for every changed criterion), which sets the result per criterion and
overall; the assessor may reopen with a reason. See decision 0033.

``models`` (imported by :mod:`lantoa.judging.models`), ``services`` writes, ``selectors`` and
``permissions`` read, ``exports`` draws the XLSX, ``views`` and ``api`` are the pages and
endpoints.
"""
