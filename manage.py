#!/usr/bin/env python
"""Django's usual entry point; `scholarhub` is the same with hyphenated command names."""

from scholarhub.cli import main

if __name__ == "__main__":
    main()
