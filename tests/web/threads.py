"""Run the same work in several threads at once, each with its own database connection."""

import threading

from django.db import connection


def run_in_threads(count, target):
    """``target(n)`` in ``count`` threads started together; returns their results, raises the first error."""
    results, errors = [], []
    start = threading.Barrier(count)

    def work(n):
        try:
            start.wait()
            results.append(target(n))
        except Exception as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results
