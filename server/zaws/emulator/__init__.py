"""The embedded local AWS: moto's server in its own process on 127.0.0.1, state kept on stop."""
