"""The annual report as data: taxonomy, model, readers, checks and writers. No Django here."""
