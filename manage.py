#!/usr/bin/env python
"""Django's manage.py; the installed `lpse` command does the same."""

from lpse.cli import main

if __name__ == "__main__":
    main()
