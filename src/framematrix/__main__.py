"""`python -m framematrix` is the `framematrix` command."""

from framematrix.cli import app

app(prog_name="framematrix")
