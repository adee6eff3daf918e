"""`python -m zaws.cli`: the same as the `zaws` command."""

from zaws.cli.entry import main

main()
