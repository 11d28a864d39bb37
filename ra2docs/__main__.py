import sys

from ra2docs.cli import console_main

sys.exit(console_main())
