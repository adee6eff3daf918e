"""The zaws/* methods at the protocol's level, shared by the language server and `zaws rpc`.

A front end hands a method name, the raw JSON params and a `CallContext` (AWS settings, progress,
cancellation) to `zaws.service.methods.call`; it gets JSON-ready data back or a `ZawsError` with a
JSON-RPC code. Params are checked here, once, with messages a person can act on; results are the
operations' `to_dict()` with camelCase keys, as protocol/openrpc.json describes them.
"""
