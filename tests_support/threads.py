"""Racing service calls in real threads, each on its own database connection (MariaDB tests)."""

import threading

from django.db import connection

from core.errors import BusinessError


def race(*actions):
    """Run the actions at the same moment, each on its own connection; return results or errors."""
    start = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(index, action):
        try:
            start.wait()
            outcomes[index] = action()
        except BusinessError as exc:
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, action)) for i, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes
