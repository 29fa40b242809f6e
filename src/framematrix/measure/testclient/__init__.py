"""Each framework's own test client running the contract's read checks in-process (`runs`),
in a fresh interpreter (`__main__`) that first times importing the app: this package imports
nothing, so that time is the app's alone."""
