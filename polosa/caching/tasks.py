"""Background work of the page cache: edge purges through a CDN's API, replaying missed invalidations."""

from django_tasks import task

from . import dependencies, edge


@task()
def purge_edge_keys(keys: list[str]) -> bool:
    """Purge `keys` at a CDN whose API can take seconds (Fastly, Cloudflare); failures are logged."""
    return edge.purge_now(keys)


@task()
def replay_missed_invalidations() -> int:
    """Invalidate again what could not reach the shared cache during an outage (every few seconds)."""
    return dependencies.replay_missed_invalidations(force=True)
