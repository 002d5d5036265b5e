"""The audience vote of a staged stage (decision 0030): printed ballot codes and phones verified
by a one-time code, one vote each, counted apart from the jury and never linked to a voter.

``services`` writes (opening, ballots, codes, votes), ``selectors`` reads (counts, the public
page's entries), ``limits`` bounds guessing and flooding, ``sheet`` draws the ballots' PDF,
``views`` and ``api`` are the pages and endpoints (organiser and public).
"""
