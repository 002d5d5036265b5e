"""An inspection's dossier: the follow-ups as XLSX (``xlsx``), and everything the records hold
(``content``) as DOCX (``word``) and as PDF (``pdf``), the two drawn from the same blocks so they
cannot say different things."""

from lantoa.plans.dossier.pdf import PDF_TYPE, dossier_pdf_filename, inspection_pdf
from lantoa.plans.dossier.word import DOCX_TYPE, dossier_docx_filename, inspection_docx
from lantoa.plans.dossier.xlsx import XLSX_TYPE, dossier_filename, follow_ups_xlsx

__all__ = [
    "DOCX_TYPE",
    "PDF_TYPE",
    "XLSX_TYPE",
    "dossier_docx_filename",
    "dossier_filename",
    "dossier_pdf_filename",
    "follow_ups_xlsx",
    "inspection_docx",
    "inspection_pdf",
]
