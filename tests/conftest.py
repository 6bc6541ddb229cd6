import json
from importlib import resources
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_eed3c3ac50b9ef27.txt"


@pytest.fixture(scope="session")
def nlp():
    from pipeline import make_nlp

    return make_nlp()


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def validate():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(resources.files("pipeline").joinpath("schema/summary.schema.json").read_text("utf-8"))
    validator = jsonschema.Draft202012Validator(schema)

    def check(obj):
        errors = sorted(validator.iter_errors(obj), key=lambda e: list(e.path))
        assert not errors, "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5])

    return check


def iter_spans(summary):
    """Every span-like dict in a summary, for the text == text[start:end] invariant."""
    for section in summary.get("sections", []):
        yield from section["key_points"]
        yield from section["body"]
    for field in ("key_points", "takeaways", "entities", "dates"):
        yield from summary.get(field, [])
