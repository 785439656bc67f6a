"""pytest, for the whole checkout: kg/extract's doctests run against what kg imports.

Those modules are installed compiled (setup.py, kg/extract/compiled.py): importing
kg/extract/rules.py for its doctests gives the extension beside it, whose file is the
.so, not the .py pytest collected. That is expected here, so pytest is told not to
refuse it (the one thing PY_IGNORE_IMPORTMISMATCH changes).
"""

import os

os.environ.setdefault("PY_IGNORE_IMPORTMISMATCH", "1")
