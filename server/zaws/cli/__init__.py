"""The `zaws` command line: the seed's command names and options over zaws.operations."""
