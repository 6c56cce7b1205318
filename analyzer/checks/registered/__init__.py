"""The registered checks: one file per check, each registering one rule with its example reports."""
