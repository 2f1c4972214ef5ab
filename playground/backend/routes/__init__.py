"""The API's routes, one file per concern: status (health, info), experiments, code."""
