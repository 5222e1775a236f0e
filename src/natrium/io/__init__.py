"""Readers and writers at natrium's edges: design files and their units."""

from natrium.io.design_file import (
    example_path,
    example_paths,
    load_example,
    read_design,
    write_design,
)

__all__ = ["example_path", "example_paths", "load_example", "read_design", "write_design"]
