"""What a serving process would otherwise do on its first requests, done before it serves.

gunicorn preloads bookstore.wsgi in its master and forks the workers from it (gunicorn.conf.py), and
recycles each worker after `max_requests`. A fresh worker used to import the URLconf on its first request
(0.2 s), build the URL lookups on its first page (0.1 s) and compile each template the first time a page
used it (a book page: 12 templates, 0.1 s), while the requests queued behind it waited: one cause of
the 0.5 s p99 spikes bench/pages.py saw (the other, garbage collection, is gunicorn.conf.py's
`pre_fork`). Done once in the master, every worker starts with them. Nothing here touches the database or the cache, so no connection is opened before the
fork (one would be shared by every worker).
"""

from pathlib import Path

from django.template import engines
from django.template.backends.django import DjangoTemplates
from django.template.loaders.cached import Loader as CachedLoader
from django.urls import URLResolver, get_resolver


def warm_up() -> None:
    _lookups_built(get_resolver())
    for backend in engines.all():
        if isinstance(backend, DjangoTemplates):
            _templates_compiled(backend)


def _lookups_built(resolver: URLResolver) -> None:
    """The reverse lookups of the URLconf and of each namespace in it, which `reverse()` and `{% url %}`
    otherwise build on first use."""
    resolver.reverse_dict  # noqa: B018 - reading it builds it
    for _prefix, namespaced in resolver.namespace_dict.values():
        _lookups_built(namespaced)


def _templates_compiled(backend: DjangoTemplates) -> None:
    """Every template of the project's template directories (the shop's pages, e-mails and admin
    overrides), compiled into the loader's cache: a template that does not compile stops the server
    from starting, as a broken URLconf does, rather than failing its page. Without a caching loader
    (DEBUG: templates are read afresh on every use) there is nothing to keep, so nothing is compiled."""
    engine = backend.engine
    if not any(isinstance(loader, CachedLoader) for loader in engine.template_loaders):
        return
    for directory in map(Path, engine.dirs):
        for path in sorted(directory.rglob("*")):
            if path.is_file():
                engine.get_template(path.relative_to(directory).as_posix())
