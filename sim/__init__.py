"""RecoveryLab simulator: a delinquent consumer-loan portfolio under a collection strategy."""
