"""Pages for what was first offered over the API only: the rubrics and their revision as a new
version, and declared conflicts of interest (a juror declaring on their own sheet; the organiser
recording one for a juror or an entrant and seeing them all)."""
