"""``python -m workers`` starts a worker; ``python -m workers --check`` is its health check."""

import sys

from workers.main import main

sys.exit(main())
