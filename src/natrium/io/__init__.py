"""Readers and writers at natrium's edges: design files and their units."""

from natrium.io.design_file import (
    default_design_for_cathode,
    design_from_dict,
    example_path,
    example_paths,
    load_example,
    read_design,
    write_design,
)

__all__ = [
    "default_design_for_cathode",
    "design_from_dict",
    "example_path",
    "example_paths",
    "load_example",
    "read_design",
    "write_design",
]
