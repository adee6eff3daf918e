"""`zaws rpc`: the zaws/* methods as plain JSON-RPC 2.0 over stdio (jsonrpcserver).

For editors and scripts that do not speak LSP: the same methods and params as the language server,
over the same `zaws.service` table, framed with Content-Length headers as LSP frames messages.
"""
