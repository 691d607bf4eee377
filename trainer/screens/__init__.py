"""The trainer's screens: sign-in, picker, brief, call, debrief, progress, manager, help."""
