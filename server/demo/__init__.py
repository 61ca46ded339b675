"""The demo clinic: seeding (seed.py), its history and bulk loading, out of the use cases."""
