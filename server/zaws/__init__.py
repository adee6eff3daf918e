"""zaws: the Zerynth AWS IoT workflow (projects, things, certificates, FOTA) as a library.

The operations live in `zaws.operations` and know nothing of the command line, the language
server or JSON-RPC; `zaws.cli`, `zaws.lsp` and `zaws.rpc` are thin front ends over them.
"""

__version__ = "0.1.0"
