"""`python -m govreport` runs the command line."""

from govreport.cli.main import main

main()
