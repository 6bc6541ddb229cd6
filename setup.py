"""Only what pyproject.toml cannot say: the wheel also carries ``ja_jnews.egg-info``.

``spacy.load("ja_jnews")`` treats a name as a pipeline package only when a distribution of
that name is installed (``importlib.metadata.distribution``). The ``ja_jnews`` package
ships inside this distribution, so the build writes the metadata of one next to it; pip
records it with the rest of the wheel and removes it on uninstall. (An editable install
does not get it: use ``pipeline.make_nlp()``, or ``pip install .``.)
"""

import re
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildPyWithPipelinePackage(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        source = Path(__file__).parent / "pipeline" / "_version.py"
        version = re.search(r'__version__ = "([^"]+)"', source.read_text(encoding="utf-8")).group(1)
        info = Path(self.build_lib) / "ja_jnews.egg-info"
        info.mkdir(parents=True, exist_ok=True)
        (info / "PKG-INFO").write_text(
            "Metadata-Version: 2.1\nName: ja_jnews\nVersion: {}\n"
            "Summary: spaCy pipeline package of jnews-pipeline (spacy.load(\"ja_jnews\"))\n".format(version),
            encoding="utf-8")
        (info / "top_level.txt").write_text("ja_jnews\n", encoding="utf-8")


setup(cmdclass={"build_py": BuildPyWithPipelinePackage})
