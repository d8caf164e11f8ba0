"""The architecture map stays a map of what is really there."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
PACKAGE = ROOT / "src" / "preau"


def test_every_app_directory_is_on_the_map():
    text = (ROOT / "docs" / "architecture.md").read_text()
    apps = [d.name for d in PACKAGE.iterdir() if d.is_dir() and (d / "apps.py").exists()]
    assert {"core", "directory", "accounts"} <= set(apps)
    missing = [name for name in apps if f"`{name}`" not in text and f"{name}/" not in text]
    assert not missing, missing


def test_every_app_is_in_the_layers_contract():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    layers = next(c for c in config["contracts"] if c["type"] == "layers")["layers"]
    named = {part.strip() for layer in layers for part in layer.replace(":", "|").split("|")}
    apps = {f"preau.{d.name}" for d in PACKAGE.iterdir() if (d / "apps.py").exists()}
    assert apps <= named, apps - named
