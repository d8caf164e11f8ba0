"""Reading ONDE exports (the national pupils database) and planning their import.

``reading`` decodes and splits the files, ``headers`` maps header names to fields,
``pupils`` and ``guardians`` parse rows, ``matching`` links guardians' children to pupils,
``build`` compares with the directory into a ``plan.OndePlan``. Writing is
``preau.directory.services.apply_onde_import``'s job. See docs on ONDE in the reference.
"""
