"""`python -m plut_cli` is `plut`."""

from plut_cli.app import main

main()
