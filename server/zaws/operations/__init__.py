"""The workflow's operations: one module per user-visible action, no front-end knowledge."""
