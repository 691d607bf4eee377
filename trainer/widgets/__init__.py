"""Reusable pieces of the trainer's screens: meters, transcript, countdown, score bars."""
