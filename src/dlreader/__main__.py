import sys

from dlreader.cli import main

sys.exit(main())
