"""core.warm_up compiles the templates of the template directories into a caching loader, and nothing
where no loader keeps them (DEBUG reads templates afresh on every use)."""

import pytest
from django.template import TemplateSyntaxError
from django.template.backends.django import DjangoTemplates

from core.warm_up import _templates_compiled

FILESYSTEM = "django.template.loaders.filesystem.Loader"


def backend(directory, loaders) -> DjangoTemplates:
    return DjangoTemplates(
        {"NAME": "warm", "DIRS": [directory], "APP_DIRS": False, "OPTIONS": {"loaders": loaders}}
    )


@pytest.fixture
def directory(tmp_path):
    (tmp_path / "shop").mkdir()
    (tmp_path / "page.html").write_text("{% extends 'frame.html' %}")
    (tmp_path / "shop" / "mail.txt").write_text("Hello {{ name }}")
    return tmp_path


def test_every_template_is_compiled_into_the_caching_loader(directory):
    templates = backend(directory, [("django.template.loaders.cached.Loader", [FILESYSTEM])])
    _templates_compiled(templates)
    assert sorted(templates.engine.template_loaders[0].get_template_cache) == ["page.html", "shop/mail.txt"]


def test_a_template_that_does_not_compile_stops_the_start(directory):
    (directory / "broken.html").write_text("{% if %}")
    with pytest.raises(TemplateSyntaxError):
        _templates_compiled(backend(directory, [("django.template.loaders.cached.Loader", [FILESYSTEM])]))


def test_without_a_caching_loader_nothing_is_compiled(directory):
    (directory / "broken.html").write_text("{% if %}")  # would raise if it were compiled
    templates = backend(directory, [FILESYSTEM])
    _templates_compiled(templates)
    with pytest.raises(TemplateSyntaxError):  # compiled when used, as before
        templates.get_template("broken.html")
