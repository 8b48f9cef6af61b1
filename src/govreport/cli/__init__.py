"""The ``govreport`` command line: ``main`` lists the commands and imports each one only when it runs."""
