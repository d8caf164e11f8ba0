#!/usr/bin/env python
from preau.cli import main

if __name__ == "__main__":
    main()
