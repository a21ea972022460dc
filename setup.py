"""Maps the design's top-level folders onto one import namespace.

The repository keeps one idea per top-level folder (``schema/``, ``authz/``,
``models/`` ...), as the design asks; installed, they become subpackages of
``propgraph`` so that nothing generic like ``models`` lands in site-packages.
pyproject.toml holds everything else.
"""

from setuptools import find_packages, setup

FOLDERS = {
    "propgraph": "propgraph",
    "propgraph.models": "models",
    "propgraph.schema": "schema",
    "propgraph.resolvers": "resolvers",
    "propgraph.authz": "authz",
    "propgraph.migrations": "migrations",
    "propgraph.datasets": "datasets",
    "propgraph.workflows": "workflows",
    "propgraph.playground": "playground",
}

packages: list[str] = []
for name, folder in FOLDERS.items():
    packages.append(name)
    packages += [f"{name}.{sub}" for sub in find_packages(where=folder)]

setup(packages=packages, package_dir=FOLDERS)
