"""`python -m govreport` runs the command line."""

from govreport.cli import main

main()
