"""The bottom layer: the error hierarchy, the records passed between stages and the reference-data
loader. Every package of the project may import it; it imports nothing of the project."""
