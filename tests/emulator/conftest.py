"""Certificates made here, so a test can have many in the emulator without moto's RSA keys."""

from __future__ import annotations

from tests.support.self_signed import self_signed


def certificate_pem() -> str:
    """A self-signed EC certificate, for register_certificate_without_ca."""
    return self_signed("zaws test device")[1]
