"""Your service's own settings; `copier update` never changes this file.

`Settings` in `core/config.py` (the template's settings) includes these, so your code
reads them from the same object: `settings.supplier_api_url`. Each field maps to an
upper-case environment variable or `.env` line, like the template's; document each one
in the last section of `.env.example`.
"""

from pydantic_settings import BaseSettings


class AppSettings(BaseSettings):
    """Settings of your own code, for example `supplier_api_url: str = "https://..."`."""
