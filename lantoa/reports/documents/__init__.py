"""Official reports as documents: what a report holds (:mod:`.content`), the Party's and the
State's formats (:mod:`.formats`), the outline a template keeps (:mod:`.outline`), and the two
renderers, DOCX (:mod:`.word`) and PDF (:mod:`.pdf`), which draw the same content."""
