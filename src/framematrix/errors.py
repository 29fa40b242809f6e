"""One error type for everything a user can get wrong or the machine can refuse.

The CLI prints its message as one line and exits with its code; nothing else reaches the user.
"""


class FramematrixError(Exception):
    """A problem the user can fix; `str(error)` is the one line shown."""

    exit_code = 2


class MeasurementError(FramematrixError):
    """A trial could not be measured (server crashed, engine failed); the run goes on."""

    exit_code = 1


class Interrupted(FramematrixError):
    """Ctrl-C or SIGTERM during a run: what finished is kept, and the message says how to go on."""

    exit_code = 130
