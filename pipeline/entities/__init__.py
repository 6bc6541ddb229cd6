"""Named entities: spaCy components (gazetteers, context rules, a CRF) and the summary's
``entities`` field. See the README section "Entities"."""

from .component import ENTITIES_COMPONENT, EntityRecognizer
from .extract import entities_field, summary_entities

__all__ = ["ENTITIES_COMPONENT", "EntityRecognizer", "entities_field", "summary_entities"]
