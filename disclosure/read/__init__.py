"""Stage 1, read: a report folder → Report, the frozen model with exact Decimals and source locations.

source.py reads YAML into node trees that remember file, line and column; fields.py is the type
system of the content format and format.py declares every file, record and field with it;
folder.py reads a whole report folder (and last year's); reference.py describes the format as
JSON Schema and as a field reference for people.
"""

from .folder import (
    MANIFEST_FILE,
    Discovery,
    catalogue_file,
    discover,
    find_reports,
    folder_name_problem,
    is_report_folder,
    prior_folder,
    slug_of,
)
from .folder import read_report as read

__all__ = [
    "MANIFEST_FILE",
    "Discovery",
    "catalogue_file",
    "discover",
    "find_reports",
    "folder_name_problem",
    "is_report_folder",
    "prior_folder",
    "read",
    "slug_of",
]
