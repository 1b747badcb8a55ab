"""The portal's settings with the benchmark's URLconf (``/floor/`` added): nothing else changes."""

from consular_portal.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.floor_urls"
