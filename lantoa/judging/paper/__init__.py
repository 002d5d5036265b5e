"""Score sheets on paper: the printable sheets of a stage's jurors (``sheets`` draws the PDF: the
entries each juror was assigned, the criteria with their maximum scores and empty boxes; in a
blind stage entry codes only), and the secretary typing a paper sheet in for its juror
(``services``, ``views``, ``api``) — the same checks as the online sheet, audited as entered
by the secretary on the juror's behalf."""
