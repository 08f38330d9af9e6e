"""Helpers for the test suites of every app and for the benchmarks' data setup.

Outside the `polosa` package so that nothing in production can import them (the package build ships
`polosa*` only); importable from the checkout's root, which pytest (``pythonpath``) and
``python -m benchmarks.…`` put on the path. The root conftest.py builds its fixtures on them.
"""

from contextlib import contextmanager

from django.core.cache import caches


def clear_cache():
    """Empty this run's cache and this process's local copies. On Redis only this run's keys go:
    FLUSHDB would hit other runs too."""
    from polosa.caching import memory
    from polosa.core.sites import forget_known_sites

    backend = caches["default"]
    clear_prefixed = getattr(backend, "clear_prefixed", None)
    if clear_prefixed is not None:
        clear_prefixed()
    else:
        backend.clear()
    memory.reset()
    forget_known_sites()


def front_page():
    """The site's front page, rebuilt when a transactional test's flush removed what migrations made."""
    from django.conf import settings
    from wagtail.models import Locale, Page, Site

    from polosa.front.models import HomePage

    home = HomePage.objects.first()
    if home is not None:
        return home
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = root.add_child(instance=HomePage(title=settings.SITE_NAME, slug="home"))
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    return home


@contextmanager
def only_hooks(name, *fns):
    """Inside the block, only `fns` (in this order) answer Wagtail's hook `name`.

    For tests that must not see what the apps register (the real periodic jobs would start, a real
    resolver would query the database); a test that adds one more uses `hooks.register_temporarily`.
    Wagtail has no public way to set a hook aside, hence its registry is swapped here.
    """
    from wagtail import hooks

    hooks.search_for_hooks()
    saved = hooks._hooks.get(name)
    hooks._hooks[name] = [(fn, 0) for fn in fns]
    try:
        yield
    finally:
        if saved is None:
            hooks._hooks.pop(name, None)
        else:
            hooks._hooks[name] = saved
