import sys

from plut_shared.store_check.cli import main

sys.exit(main())
