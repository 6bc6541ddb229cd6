"""The spaCy pipeline package of jnews-pipeline: ``spacy.load("ja_jnews")``.

It ships in the jnews-pipeline distribution. ``spacy.load`` takes a name for a pipeline
package when a distribution of that name is installed, so the wheel also carries the
metadata of one (``ja_jnews.egg-info``, written at build time by ``setup.py``); the
pipeline itself is ``pipeline.make_nlp()``, built from its config: nothing is downloaded.
"""

from __future__ import annotations

from typing import Iterable

from pipeline import __version__, make_nlp

__all__ = ["__version__", "load"]


def load(vocab=True, disable: Iterable[str] = (), enable: Iterable[str] = (), exclude: Iterable[str] = (),
         config: dict | None = None, **kwargs):
    """What ``spacy.load("ja_jnews", ...)`` calls: the pipeline with spaCy's ``disable`` /
    ``enable`` / ``exclude`` and config overrides (nested or dotted keys, e.g.
    ``{"components.jnews_keywords.keywords": 5}``)."""
    from spacy.util import SimpleFrozenDict, dot_to_dict, load_model_from_config

    base = make_nlp().config  # cheap: the Tagger is built on the first text
    overrides = dict(config or SimpleFrozenDict())
    if any("." in key for key in overrides):
        overrides = dot_to_dict(overrides)
    meta = {"lang": "ja", "name": "jnews", "version": __version__,
            "description": "jnews-pipeline: Japanese news summaries (fugashi + unidic-lite)"}
    return load_model_from_config(base.merge(overrides), vocab=vocab, disable=disable, enable=enable, exclude=exclude,
                                  meta=meta)
