"""`python -m atlas` is the same as the `atlas` command."""

import sys

from .cli import main

sys.exit(main())
