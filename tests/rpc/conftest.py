from tests.protocol.fota import fota_setup

__all__ = ["fota_setup"]
