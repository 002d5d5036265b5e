"""The plans' pages: programmes and recommendations (:mod:`.programmes`) and inspections
(:mod:`.inspections`)."""
