"""Import of households from the CSV export of a corporation's rental system (docs/import.md).

parsing: bytes → validated rows, no database. compare: a row against the household that exists.
service: checking an upload, the import itself (one transaction, in batches), housekeeping.
progress: in the cache while an import runs. forms: the upload."""

from cases.imports.parsing import (
    COLUMNS,
    MAX_ERRORS,
    REQUIRED,
    FileError,
    error_message,
    error_text,
    parse,
)
from cases.imports.progress import progress_get
from cases.imports.service import (
    BATCH_SIZE,
    analyse,
    failure_message,
    household_import_create,
    household_import_get,
    household_import_list,
    household_import_run,
    household_import_start,
    household_imports_sweep,
)

__all__ = [
    "BATCH_SIZE",
    "COLUMNS",
    "MAX_ERRORS",
    "REQUIRED",
    "FileError",
    "analyse",
    "error_message",
    "error_text",
    "failure_message",
    "household_import_create",
    "household_import_get",
    "household_import_list",
    "household_import_run",
    "household_import_start",
    "household_imports_sweep",
    "parse",
    "progress_get",
]
