import copy
import functools
import itertools
import signal
import sys

import pytest
from django.core.management import call_command

# Fixtures that make pytest-django run a test as a TransactionTestCase, which flushes the
# database instead of rolling back: such a test cannot run inside a module's transaction.
TRANSACTIONAL_FIXTURES = frozenset({"transactional_db", "live_server", "django_db_reset_sequences"})


@pytest.fixture(autouse=True)
def _vietnamese_by_default(settings):
    """Tests read the interface as a Vietnamese user does unless they ask otherwise."""
    settings.LANGUAGE_CODE = "vi"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: public pages are cached per release."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


_BUILT_FOR: set = set()  # the modules whose shared locality is written and not yet rolled back


def _uses_locality(item: pytest.Item) -> bool:
    return "locality" in getattr(item, "fixturenames", ())


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """In each run of a module's tests, those without ``locality`` go first.

    The locality a module shares stays in the database from its first user to the end of
    the module's run, so a test written for a database without it must run before that.
    pytest-django has already put the tests in Django's order; this sort keeps it.
    """
    ordered = []
    for _module, run in itertools.groupby(items, key=lambda item: getattr(item, "module", None)):
        ordered.extend(sorted(run, key=_uses_locality))
    items[:] = ordered


def pytest_runtest_setup(item: pytest.Item) -> None:
    if getattr(item, "module", None) in _BUILT_FOR and not _uses_locality(item):
        pytest.fail(f"{item.nodeid} would see the shared locality it did not ask for")


def _is_transactional(item: pytest.Item) -> bool:
    """Whether pytest-django runs ``item`` with a flush rather than a rollback."""

    def flags(transaction=False, reset_sequences=False, *args, **kwargs):
        return transaction or reset_sequences

    marker = item.get_closest_marker("django_db")
    if marker is not None and flags(*marker.args, **marker.kwargs):
        return True
    return bool(TRANSACTIONAL_FIXTURES.intersection(getattr(item, "fixturenames", ())))


@pytest.fixture(scope="module")
def _locality_once(request, django_db_setup, django_db_blocker):
    """The seed locality built once for a module and rolled back after it (setUpTestData).

    The data is written inside a transaction opened for the module; each test's own ``db``
    fixture nests a savepoint in it and rolls its changes back to the built locality. A
    module with any transactional test gets ``None`` here: such a test flushes the
    database and cannot run inside a transaction, so each test of that module builds its
    own locality.
    """
    tests = [
        item for item in request.session.items if getattr(item, "module", None) is request.module
    ]
    if any(_is_transactional(item) for item in tests):
        yield None
        return

    from django.db import transaction

    from tests.locality import build_locality

    outer = transaction.atomic()
    with django_db_blocker.unblock():
        outer.__enter__()
        try:
            built = build_locality()
        except BaseException:
            outer.__exit__(*sys.exc_info())
            raise
    _BUILT_FOR.add(request.module)
    try:
        yield built
    finally:
        _BUILT_FOR.discard(request.module)
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def locality(_locality_once, db):
    """A small seed locality: a district with one agency and one commune, and the rules.

    Each test gets its own copies of the model instances (as Django's ``TestData`` hands
    out ``setUpTestData`` attributes), so a change one test makes in memory stays with that test.
    """
    if _locality_once is None:
        from tests.locality import build_locality

        return build_locality()
    return copy.deepcopy(_locality_once)


@pytest.fixture
def jobs_run(django_capture_on_commit_callbacks):
    """``with jobs_run(): …``: the background jobs the block starts have run when it ends.

    A test's transaction never commits, so the jobs' tasks (enqueued on commit, run at once
    by the test settings' immediate backend) are handed over when the block ends instead.
    """
    return functools.partial(django_capture_on_commit_callbacks, execute=True)


@pytest.fixture
def worker():
    """Run ``db_worker`` until the queue is empty, keeping pytest's signal handlers."""
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}

    def run() -> None:
        call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)

    yield run
    for number, handler in handlers.items():
        signal.signal(number, handler)
