"""Letters to the applicant: 答复告知书 per outcome group, and the 补正、延期、收费 notices.

* ``basis.py``: outcome → article of the 条例 → wording, one table;
* ``body.py``: the editable body (agency ``ReplyTemplate`` or built-in default), its placeholders and validation;
* ``compose.py``: a case's letter as data inside a fixed frame;
* ``documents.py``: that letter as DOCX and PDF.
"""
