"""`python -m framematrix` is the `framematrix` command."""

from framematrix.cli import main

main()
